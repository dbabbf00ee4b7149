import { createRequire, register as registerModuleHooks } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Instrumentation } from '@opentelemetry/instrumentation';

/** What `import-in-the-middle` exports that is used here (its own typings are not a dependency of ours). */
type ImportInTheMiddle = {
  createAddHookMessageChannel: () => {
    addHookMessagePort: unknown;
    registerOptions: { data: { addHookMessagePort: unknown; include: string[] }; transferList: unknown[] };
  };
};

/** Registers the loader once `instrumentations` exist; call it with the instrumentations the SDK gets. */
export type RegisterHookedModulesLoader = (instrumentations: readonly Instrumentation[]) => void;

/** `InstrumentationBase` (every Node instrumentation) lists the modules it hooks; the interface does not. */
type WithModuleDefinitions = { getModuleDefinitions?: () => readonly { name: string }[] };

/** The loader's `include` takes package names and `node:` built-ins; a path reaches it through the channel. */
function isPackageName(name: string): boolean {
  return !name.startsWith('.') && !name.startsWith('/');
}

/**
 * Prepares import-in-the-middle's ESM loader so that it wraps only the modules an instrumentation hooks
 * (`express`, `pg`, `http`…), never the application's own files nor any other package: those keep their
 * live bindings, import cycles and evaluation order exactly as without the entry.
 *
 * Call it before the instrumentations are constructed. It opens import-in-the-middle's "add hook" channel
 * (each `Hook([...names])` an instrumentation makes from then on tells the loader thread to wrap those
 * names); the returned function registers the loader with the names the instrumentations already hooked,
 * so the list is complete before the application's first `import` whether or not anyone can wait for the
 * channel (a `--require` preload cannot).
 *
 * Loader, channel and hooks must be one copy of import-in-the-middle: the one behind the
 * `@opentelemetry/instrumentation` that the instrumentations use, found from `instrumentationsPackage`.
 */
export function prepareHookedModulesLoader(instrumentationsPackage: string): RegisterHookedModulesLoader {
  const requireFromInstrumentations = createRequire(instrumentationsPackage);
  const hook = requireFromInstrumentations.resolve('@opentelemetry/instrumentation/hook.mjs');
  const importInTheMiddle = createRequire(hook)('import-in-the-middle') as ImportInTheMiddle;
  const { registerOptions } = importInTheMiddle.createAddHookMessageChannel();
  return (instrumentations) => {
    const include = instrumentations
      .flatMap((instrumentation) => (instrumentation as WithModuleDefinitions).getModuleDefinitions?.() ?? [])
      .map((definition) => definition.name)
      .filter(isPackageName);
    registerModuleHooks(pathToFileURL(hook).href, {
      ...registerOptions,
      data: { ...registerOptions.data, include: [...new Set(include)] },
    } as never);
  };
}
