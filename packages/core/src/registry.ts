import type { ServerTimingSpanProcessor } from './processor.js';

/**
 * Where the most recently constructed processor is kept: a `Symbol.for` key on `globalThis`, so the ESM
 * and the CommonJS copy of this package (and any two copies that share `v1`) find each other's
 * processor. The suffix is the version of what a responder calls on the processor; it changes whenever
 * that does. Copies of another version then do not see this processor, nor it theirs: their adapters
 * write only the metrics the application added itself (no span timings, no `traceparent`) rather than
 * call methods the other version may not have. Copies from before the suffix (0.1.0) used the key
 * without it and likewise do not meet this one.
 */
const REGISTRY_KEY = Symbol.for('@otel-server-timing/core.processor/v1');

type Registry = { [REGISTRY_KEY]?: ServerTimingSpanProcessor };

export function registerProcessor(processor: ServerTimingSpanProcessor): void {
  (globalThis as Registry)[REGISTRY_KEY] = processor;
}

export function unregisterProcessor(processor: ServerTimingSpanProcessor): void {
  const registry = globalThis as Registry;
  if (registry[REGISTRY_KEY] === processor) delete registry[REGISTRY_KEY];
}

/**
 * The most recently constructed {@link ServerTimingSpanProcessor} that has not been shut down, or
 * `undefined`. Adapters use it when they are not handed a processor.
 */
export function getServerTimingProcessor(): ServerTimingSpanProcessor | undefined {
  return (globalThis as Registry)[REGISTRY_KEY];
}
