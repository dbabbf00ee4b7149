import type { ParsedServerTimingMetric } from './types.js';

/** A server's trace context as read from Server-Timing metrics. */
export type ServerTraceContext = {
  traceId: string;
  spanId: string;
  traceFlags: number;
  sampled: boolean;
};

const TRACEPARENT = /^\s*"?\s*([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-[^"]*)?\s*"?\s*$/i;
const ALL_ZEROS = /^0+$/;

/**
 * Reads a `traceparent` value (quoted or not, any version but `ff`, any flags). Returns `undefined` for
 * anything that is not a valid trace context.
 */
export function parseTraceparent(value: string): ServerTraceContext | undefined {
  const match = TRACEPARENT.exec(value);
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version.toLowerCase() === 'ff' || ALL_ZEROS.test(traceId) || ALL_ZEROS.test(spanId)) return undefined;
  if (version === '00' && match[0].trim().replace(/"/g, '').length !== 55) return undefined;
  const traceFlags = Number.parseInt(flags, 16);
  return {
    traceId: traceId.toLowerCase(),
    spanId: spanId.toLowerCase(),
    traceFlags,
    sampled: (traceFlags & 1) === 1,
  };
}

/**
 * The server's trace context from parsed Server-Timing metrics: the first valid `traceparent` metric,
 * else the first valid `trace` metric. Takes the value from the description (quoted or not).
 */
export function readTraceContext(
  metrics: readonly Pick<ParsedServerTimingMetric, 'name' | 'description'>[],
): ServerTraceContext | undefined {
  let fromTrace: ServerTraceContext | undefined;
  for (const metric of metrics) {
    const name = metric.name.toLowerCase();
    if (name === 'traceparent') {
      const context = parseTraceparent(metric.description);
      if (context !== undefined) return context;
    } else if (name === 'trace' && fromTrace === undefined) {
      fromTrace = parseTraceparent(metric.description);
    }
  }
  return fromTrace;
}
