import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Instrumentation } from '@opentelemetry/instrumentation';

/** What `import-in-the-middle` exports that is used here (its own typings are not a dependency of ours). */
type ImportInTheMiddle = {
  createAddHookMessageChannel: () => {
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

/** import-in-the-middle's in-thread loader (`register-hooks.mjs`), on Node versions that can run it. */
type SyncLoader = { supportsSyncHooks: () => boolean; register: (options: { include: string[] }) => void };

/** The modules the instrumentations hook, as the loader's `include` takes them. */
function hookedModuleNames(instrumentations: readonly Instrumentation[]): string[] {
  const names = instrumentations
    .flatMap((instrumentation) => (instrumentation as WithModuleDefinitions).getModuleDefinitions?.() ?? [])
    .map((definition) => definition.name)
    .filter(isPackageName);
  return [...new Set(names)];
}

/**
 * Whether Node runs code given on its command line (`node -e …`, `node -p …`) rather than a file. Node sets
 * `process._eval` to that code before the `--require` preloads run; it has no public equivalent.
 */
function evaluatesCommandLineCode(): boolean {
  return typeof (process as { _eval?: unknown })._eval === 'string';
}

/**
 * The in-thread loader where this Node runs it correctly (22.22.3+, 24.11.1+, as import-in-the-middle's own
 * `supportsSyncHooks` says): no module-hooks thread to start, no message per import. `undefined` on older
 * Nodes (Node 20 has no `module.registerHooks`), which get the loader thread of `module.register()`.
 *
 * Also `undefined` for `node -e`/`node -p`: there import-in-the-middle's in-thread `load` hook (3.6.0) makes
 * Node read a built-in that the evaluated code requires (`module`, required by Node itself) as a file, and
 * the process dies with `ENOENT … open 'module'` before running a line of the user's code.
 */
function syncLoader(requireFromLoader: NodeJS.Require): SyncLoader | undefined {
  // `module.registerHooks` is newer than the Node 20 typings.
  if (typeof (nodeModule as { registerHooks?: unknown }).registerHooks !== 'function') return undefined;
  if (evaluatesCommandLineCode()) return undefined;
  const { supportsSyncHooks } = requireFromLoader(
    'import-in-the-middle/supports-sync-hooks.mjs',
  ) as SyncLoader;
  if (!supportsSyncHooks()) return undefined;
  return requireFromLoader('import-in-the-middle/register-hooks.mjs') as SyncLoader;
}

/**
 * Prepares import-in-the-middle's ESM loader so that it wraps only the modules an instrumentation hooks
 * (`express`, `pg`, `http`…), never the application's own files nor any other package: those keep their
 * live bindings, import cycles and evaluation order exactly as without the entry.
 *
 * Call it before the instrumentations are constructed, and the returned function once they exist. Where
 * the loader runs in its own thread (`module.register()`), it opens import-in-the-middle's "add hook"
 * channel first (each `Hook([...names])` an instrumentation makes from then on tells the loader thread to
 * wrap those names); the loader is then registered with the names the instrumentations already hooked, so
 * the list is complete before the application's first `import` whether or not anyone can wait for the
 * channel (a `--require` preload cannot).
 *
 * Loader, channel and hooks must be one copy of import-in-the-middle: the one behind the
 * `@opentelemetry/instrumentation` that the instrumentations use, found from `instrumentationsPackage`.
 */
export function prepareHookedModulesLoader(instrumentationsPackage: string): RegisterHookedModulesLoader {
  const requireFromInstrumentations = nodeModule.createRequire(instrumentationsPackage);
  const hook = requireFromInstrumentations.resolve('@opentelemetry/instrumentation/hook.mjs');
  const requireFromLoader = nodeModule.createRequire(hook);
  const inThread = syncLoader(requireFromLoader);
  if (inThread !== undefined) {
    return (instrumentations) => inThread.register({ include: hookedModuleNames(instrumentations) });
  }
  const importInTheMiddle = requireFromLoader('import-in-the-middle') as ImportInTheMiddle;
  const { registerOptions } = importInTheMiddle.createAddHookMessageChannel();
  return (instrumentations) => {
    nodeModule.register(pathToFileURL(hook).href, {
      ...registerOptions,
      data: { ...registerOptions.data, include: hookedModuleNames(instrumentations) },
    } as never);
  };
}
