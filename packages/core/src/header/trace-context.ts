import { isSpanContextValid, type SpanContext } from '@opentelemetry/api';
import type { TraceContextForm } from '../types.js';

/** Trace flags as two hex digits; the two common values without formatting a number. */
function hexFlags(traceFlags: number): string {
  const flags = traceFlags & 0xff;
  if (flags === 1) return '01';
  if (flags === 0) return '00';
  return flags < 16 ? `0${flags.toString(16)}` : flags.toString(16);
}

/** `00-<trace-id>-<span-id>-<flags>`, the version-00 `traceparent` value of a span context. */
export function toTraceparent(spanContext: SpanContext): string {
  return `00-${spanContext.traceId}-${spanContext.spanId}-${hexFlags(spanContext.traceFlags)}`;
}

/**
 * The header entries for the trace context of a request, joined with `, ` (`''` for none): what
 * {@link formatTraceContext} lists, as the header builder writes it (one string, no list).
 */
export function traceContextEntries(spanContext: SpanContext | undefined, form: TraceContextForm): string {
  if (form === 'none' || spanContext === undefined || !isSpanContextValid(spanContext)) return '';
  const traceparent = toTraceparent(spanContext);
  if (form === 'traceparent') return `traceparent;desc="${traceparent}"`;
  if (form === 'trace') return `trace;desc=${traceparent}`;
  return `traceparent;desc="${traceparent}", trace;desc=${traceparent}`;
}

/**
 * Header entries for the trace context of a request: `traceparent;desc="00-…"` (what RUM tools read
 * today) and/or the W3C Trace Context Level 2 form `trace;desc=00-…`. None for an invalid context.
 */
export function formatTraceContext(spanContext: SpanContext | undefined, form: TraceContextForm): string[] {
  const entries = traceContextEntries(spanContext, form);
  // Neither entry contains `, `: the trace and span ids are hex.
  return entries === '' ? [] : entries.split(', ');
}
