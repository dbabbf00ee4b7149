import { readTraceContext } from '@otel-server-timing/core';
import type { ServerTiming, ServerTimingIgnoredReason, TimingEntry } from './types.js';

const TRACE_CONTEXT_METRIC = /^(traceparent|trace)$/i;

/** A reading that carries nothing but why. */
export function ignoredServerTiming(url: string, ignored: ServerTimingIgnoredReason): ServerTiming {
  return { url, metrics: [], traceContext: undefined, ignored };
}

function ignoredReason(
  entry: TimingEntry & { deliveryType?: string },
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
  return undefined;
}

/** The server's metrics and trace context from one navigation or resource timing entry. */
export function readServerTiming(entry: TimingEntry): ServerTiming {
  const ignored = ignoredReason(entry);
  if (ignored) return ignoredServerTiming(entry.name, ignored);
  const metrics = entry.serverTiming.map(({ name, duration, description }) => ({
    name,
    duration,
    description,
  }));
  return {
    url: entry.name,
    metrics: metrics.filter((metric) => !TRACE_CONTEXT_METRIC.test(metric.name)),
    traceContext: readTraceContext(metrics),
    ignored,
  };
}
