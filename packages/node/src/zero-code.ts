/**
 * What the zero-code entry starts: the OpenTelemetry Node SDK with the auto-instrumentations, configured
 * by the standard `OTEL_*` variables, the `ServerTimingSpanProcessor` beside the exporters from
 * `OTEL_TRACES_EXPORTER`, and instrumentation-http's response hook writing the header. Needs the optional
 * peers `@opentelemetry/sdk-node` and `@opentelemetry/auto-instrumentations-node`. Nothing here may stop
 * the application: problems are reported as process warnings and the app runs without them.
 */
import { createRequire } from 'node:module';
import { diag } from '@opentelemetry/api';
import type { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { serverTimingOptionsFromEnv } from './env-options.js';
import { prepareHookedModulesLoader, type RegisterHookedModulesLoader } from './hooked-modules-loader.js';
import { composeResponseHook, type HttpResponseHook } from './response-hook.js';

const OWNER = '@otel-server-timing/node/register';
const SDK_NODE = '@opentelemetry/sdk-node';
const AUTO_INSTRUMENTATIONS = '@opentelemetry/auto-instrumentations-node';
const HTTP_INSTRUMENTATION = '@opentelemetry/instrumentation-http';

type SdkNodeModule = { NodeSDK: typeof NodeSDK };
type AutoInstrumentationsModule = {
  getNodeAutoInstrumentations: typeof getNodeAutoInstrumentations;
  /** The detectors `OTEL_NODE_RESOURCE_DETECTORS` names, as the upstream register entry uses them. */
  getResourceDetectors: () => unknown[];
};
/** sdk-node builds its exporters from `OTEL_TRACES_EXPORTER` here, but skips it when given processors. */
type SdkNodeUtilsModule = { getSpanProcessorsFromEnv?: () => SpanProcessor[] };

const requireHere = createRequire(import.meta.url);

function warn(message: string): void {
  process.emitWarning(`${OWNER}: ${message}`);
}

/**
 * ESM applications get framework spans only through import-in-the-middle's loader, set up here to wrap the
 * hooked modules alone. Returns what registers it once the instrumentations exist. If either step fails,
 * a warning says so and CommonJS instrumentation still works.
 */
function prepareEsmLoader(): RegisterHookedModulesLoader {
  const failed = (error: unknown) =>
    warn(`could not register the ESM loader hook; ESM frameworks are not instrumented (${String(error)})`);
  try {
    const register = prepareHookedModulesLoader(requireHere.resolve(AUTO_INSTRUMENTATIONS));
    return (instrumentations) => {
      try {
        register(instrumentations);
      } catch (error) {
        failed(error);
      }
    };
  } catch (error) {
    failed(error);
    return () => {};
  }
}

/**
 * The resource detectors: those `OTEL_NODE_RESOURCE_DETECTORS` names, as the upstream entry reads it,
 * cloud detectors included; when it is unset, `undefined`, so that the SDK uses its own default (`env`,
 * `process`, `host`), which asks no cloud metadata service (the upstream entry's default, `all`, probes
 * GCP, AWS, Azure and Alibaba hosts, and prints a `MetadataLookupWarning` off those clouds).
 */
function resourceDetectors(autoInstrumentations: AutoInstrumentationsModule): unknown[] | undefined {
  const named = process.env.OTEL_NODE_RESOURCE_DETECTORS?.trim();
  return named === undefined || named === '' ? undefined : autoInstrumentations.getResourceDetectors();
}

/** The exporters `OTEL_TRACES_EXPORTER` asks for (none for `none`). */
function exportProcessorsFromEnv(): SpanProcessor[] {
  const utils = requireHere(`${SDK_NODE}/build/src/utils.js`) as SdkNodeUtilsModule;
  if (typeof utils.getSpanProcessorsFromEnv !== 'function') {
    throw new Error(`this ${SDK_NODE} has no getSpanProcessorsFromEnv to combine the exporters with.`);
  }
  return utils.getSpanProcessorsFromEnv();
}

/**
 * The processors for the SDK: the `ServerTimingSpanProcessor` and the exporters from the environment,
 * with the Server-Timing hook composed into instrumentation-http's `responseHook`. `undefined` (the SDK
 * then builds its processors alone) when Server-Timing is off or its settings are not usable.
 */
function serverTimingSpanProcessors(instrumentations: Instrumentation[]): SpanProcessor[] | undefined {
  try {
    const settings = serverTimingOptionsFromEnv();
    if (!settings.enabled) return undefined;
    const exporters = exportProcessorsFromEnv();
    const http = instrumentations.find(
      (instrumentation) => instrumentation.instrumentationName === HTTP_INSTRUMENTATION,
    );
    if (http === undefined) warn(`${HTTP_INSTRUMENTATION} is disabled, so responses get no header from here`);
    const config = http?.getConfig() as
      | (InstrumentationConfig & { responseHook?: HttpResponseHook })
      | undefined;
    const responseHook = composeResponseHook(config?.responseHook, settings.options);
    const processor = new ServerTimingSpanProcessor(settings.processorOptions);
    if (http !== undefined) http.setConfig({ ...config, responseHook } as InstrumentationConfig);
    return [processor, ...exporters];
  } catch (error) {
    warn(`${error instanceof Error ? error.message : String(error)} Server-Timing is off.`);
    return undefined;
  }
}

function start(): void {
  let sdkNode: SdkNodeModule;
  let autoInstrumentations: AutoInstrumentationsModule;
  try {
    sdkNode = requireHere(SDK_NODE) as SdkNodeModule;
    autoInstrumentations = requireHere(AUTO_INSTRUMENTATIONS) as AutoInstrumentationsModule;
  } catch (error) {
    warn(
      `install ${SDK_NODE} and ${AUTO_INSTRUMENTATIONS} to use it; OpenTelemetry is not started (${String(error)})`,
    );
    return;
  }
  // Before the instrumentations exist, so that every module they hook reaches the loader.
  const registerEsmLoader = prepareEsmLoader();
  const instrumentations = autoInstrumentations.getNodeAutoInstrumentations();
  registerEsmLoader(instrumentations);
  const spanProcessors = serverTimingSpanProcessors(instrumentations);
  const detectors = resourceDetectors(autoInstrumentations);
  const sdk = new sdkNode.NodeSDK({
    instrumentations,
    ...(detectors === undefined ? {} : { resourceDetectors: detectors as never }),
    ...(spanProcessors === undefined ? {} : { spanProcessors }),
  });
  sdk.start();
  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= sdk.shutdown().catch((error: unknown) => diag.error(`${OWNER}: SDK shutdown failed`, error));
    return stopping;
  };
  // Flush on SIGTERM, then let the signal do what it would have done had no one listened.
  process.once('SIGTERM', () => {
    void shutdown().then(() => {
      if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
    });
  });
  process.once('beforeExit', () => void shutdown());
}

/** Starts OpenTelemetry with Server-Timing in this thread; call it once, from the main thread. Never throws. */
export function startZeroCode(): void {
  try {
    start();
  } catch (error) {
    warn(`OpenTelemetry did not start; the application runs without it (${String(error)})`);
  }
}
