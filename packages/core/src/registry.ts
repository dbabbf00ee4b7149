import type { ServerTimingSpanProcessor } from './processor.js';

/**
 * Where the most recently constructed processor is kept. A `Symbol.for` key on `globalThis`, so an ESM
 * and a CommonJS copy of this package (or two versions of it) still find each other's processor.
 */
const REGISTRY_KEY = Symbol.for('@otel-server-timing/core.processor');

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
