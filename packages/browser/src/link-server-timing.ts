import type { Attributes, Span } from '@opentelemetry/api';
import type { ServerTiming, ServerTimingLinkOptions } from './types.js';

/** Attribute: trace id of the server span that answered the request. */
export const ATTR_SERVER_TRACE_ID = 'server_timing.trace_id';
/** Attribute: span id of the server span that answered the request. */
export const ATTR_SERVER_SPAN_ID = 'server_timing.span_id';
/** Attribute: why the response's server timings were left out (`'cache'`, `'cross-origin'`, `'unknown'`, `'unsupported'`). */
export const ATTR_SERVER_TIMING_IGNORED = 'server_timing.ignored';

/** Attribute holding one server metric's duration in milliseconds: `server_timing.<name>.duration`. */
export function serverMetricAttribute(metricName: string): string {
  return `server_timing.${metricName}.duration`;
}

/**
 * Adds to `span` a link to the server span that answered its request (from `timing.traceContext`), the
 * `server_timing.trace_id` / `server_timing.span_id` attributes and, unless turned off, one
 * `server_timing.<name>.duration` attribute per server metric. For an ignored reading it only sets
 * `server_timing.ignored`. Returns `true` when a link was added. The span must not have ended.
 */
export function linkServerTiming(
  span: Pick<Span, 'addLink' | 'setAttributes'>,
  timing: ServerTiming | undefined,
  options?: ServerTimingLinkOptions,
): boolean {
  if (!timing) return false;
  if (timing.ignored) {
    span.setAttributes({ [ATTR_SERVER_TIMING_IGNORED]: timing.ignored });
    return false;
  }
  const attributes: Attributes = {};
  if (options?.metricAttributes ?? true) {
    for (const metric of timing.metrics) attributes[serverMetricAttribute(metric.name)] = metric.duration;
  }
  const server = timing.traceContext;
  if (server) {
    attributes[ATTR_SERVER_TRACE_ID] = server.traceId;
    attributes[ATTR_SERVER_SPAN_ID] = server.spanId;
  }
  span.setAttributes(attributes);
  if (!server || typeof span.addLink !== 'function') return false;
  span.addLink({
    context: {
      traceId: server.traceId,
      spanId: server.spanId,
      traceFlags: server.traceFlags,
      isRemote: true,
    },
  });
  return true;
}
