// What each set's `sdk.cjs` exports: the parts of an OpenTelemetry SDK line that differ between lines.
import type { Tracer } from '@opentelemetry/api';

/** The parts of a finished span the tests read; SDK 2.x and 3.x spans both have them. */
export type FinishedSpan = {
  readonly name: string;
  readonly kind: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  spanContext(): { traceId: string; spanId: string; traceFlags: number };
};

export type InMemorySpanExporter = { getFinishedSpans(): FinishedSpan[] };

export type TracerProvider = {
  getTracer(name: string): Tracer;
  shutdown(): Promise<void>;
};

/**
 * Builds that line's tracer provider with the span processor under test and a simple processor exporting
 * to `exporter`, and registers it, an AsyncLocalStorage context manager and the W3C propagators globally.
 */
export type StartProvider = (options: {
  spanProcessor: object;
  exporter: InMemorySpanExporter;
  sampler?: object;
}) => TracerProvider;

/** `import()` resolved from the set's folder, so it loads the ESM builds installed there. */
export type ImportHere = (specifier: string) => Promise<Record<string, unknown>>;

export type Sdk = {
  startProvider: StartProvider;
  AlwaysOffSampler: new () => object;
  InMemorySpanExporter: new () => InMemorySpanExporter;
  importHere: ImportHere;
};
