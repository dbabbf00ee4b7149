// The small entry: the core's root would bring the processor and its option schema into the page.
import { readTraceContext } from '@otel-server-timing/core/trace-context';
import type { ReadOptions, ServerTiming, ServerTimingIgnoredReason, TimingEntry } from './types.js';

/** The metrics the server writes for this package rather than about its work. */
const OWN_METRIC = /^(traceparent|trace|timestamp)$/i;

/**
 * A response a shared cache stored and served again carries the `timestamp` (epoch ms) of the request the
 * server answered: earlier than this request was sent, by more than clock skew (default 30 s) explains.
 */
function isReplayed(entry: TimingEntry, maxClockSkew = 30_000): boolean {
  const stamp = entry.serverTiming.find((metric) => metric.name === 'timestamp')?.description;
  // No stamp, or not a number: never counted as replayed.
  return (
    (Number(stamp) || Infinity) <
    performance.timeOrigin + (entry.requestStart || entry.startTime) - maxClockSkew
  );
}

/** A reading that carries nothing but why. */
export function ignoredServerTiming(url: string, ignored: ServerTimingIgnoredReason): ServerTiming {
  return { url, metrics: [], traceContext: undefined, ignored };
}

function ignoredReason(
  entry: TimingEntry & { deliveryType?: string },
  maxClockSkew: number | undefined,
): ServerTimingIgnoredReason | undefined {
  if (!entry.serverTiming) return 'unsupported';
  if (!entry.responseStart && new URL(entry.name).origin !== location.origin) return 'cross-origin';
  if (typeof entry.transferSize !== 'number') return 'unknown';
  // A response from the network counts at least its header bytes, so nothing transferred means a stored
  // copy: with a body, or with exposed timings (Firefox's empty-body cache hit has no deliveryType). A
  // revalidated (304) response transferred its headers and is kept.
  if (
    entry.transferSize === 0 &&
    (entry.serverTiming.length > 0 || entry.decodedBodySize > 0 || entry.deliveryType === 'cache')
  )
    return 'cache';
  // A shared cache's copy came over the network: only the server's clock tells.
  return isReplayed(entry, maxClockSkew) ? 'replayed' : undefined;
}

/**
 * The server's metrics and trace context from one navigation or resource timing entry. `maxClockSkew`
 * (ms, default 30 000): how far the server's clock may be behind the page's before a response stamped with
 * a `timestamp` counts as a copy a shared cache replayed.
 */
export function readServerTiming(entry: TimingEntry, options?: ReadOptions): ServerTiming {
  const ignored = ignoredReason(entry, options?.maxClockSkew);
  if (ignored) return ignoredServerTiming(entry.name, ignored);
  const metrics = entry.serverTiming.map(({ name, duration, description }) => ({
    name,
    duration,
    description,
  }));
  return {
    url: entry.name,
    metrics: metrics.filter((metric) => !OWN_METRIC.test(metric.name)),
    traceContext: readTraceContext(metrics),
    ignored,
  };
}
