import { isSpanContextValid, type SpanContext } from '@opentelemetry/api';
import type { TraceContextForm } from '../types.js';

/** Trace flags as two hex digits; the two common values without formatting a number. */
function hexFlags(traceFlags: number): string {
  const flags = traceFlags & 0xff;
  if (flags === 1) return '01';
  if (flags === 0) return '00';
  return flags < 16 ? `0${flags.toString(16)}` : flags.toString(16);
}

/** `-<flags>"`, the end of a quoted `traceparent` description; the two common values written out. */
function quotedFlagsEnd(traceFlags: number): string {
  const flags = traceFlags & 0xff;
  if (flags === 1) return '-01"';
  if (flags === 0) return '-00"';
  return `-${hexFlags(flags)}"`;
}

/** `00-<trace-id>-<span-id>-<flags>`, the version-00 `traceparent` value of a span context. */
export function toTraceparent(spanContext: SpanContext): string {
  return `00-${spanContext.traceId}-${spanContext.spanId}-${hexFlags(spanContext.traceFlags)}`;
}

/**
 * `value` (a header value, or `''`) followed by the entries of the trace context of a request:
 * `traceparent;desc="00-…"` and/or `trace;desc=00-…` as `form` says; `value` as it is for an invalid context.
 * Each piece is appended to the value directly, rather than the `traceparent` value made first.
 */
export function appendTraceContext(
  value: string,
  spanContext: SpanContext | undefined,
  form: TraceContextForm,
): string {
  if (form === 'none' || spanContext === undefined || !isSpanContextValid(spanContext)) return value;
  const { traceId, spanId, traceFlags } = spanContext;
  if (form !== 'trace') {
    const start = value === '' ? 'traceparent;desc="00-' : ', traceparent;desc="00-';
    value = `${value}${start}${traceId}-${spanId}${quotedFlagsEnd(traceFlags)}`;
  }
  if (form !== 'traceparent') {
    const start = value === '' ? 'trace;desc=00-' : ', trace;desc=00-';
    value = `${value}${start}${traceId}-${spanId}-${hexFlags(traceFlags)}`;
  }
  return value;
}

/**
 * Header entries for the trace context of a request: `traceparent;desc="00-…"` (what RUM tools read
 * today) and/or the W3C Trace Context Level 2 form `trace;desc=00-…`. None for an invalid context.
 */
export function formatTraceContext(spanContext: SpanContext | undefined, form: TraceContextForm): string[] {
  const entries = appendTraceContext('', spanContext, form);
  // Neither entry contains `, `: the trace and span ids are hex.
  return entries === '' ? [] : entries.split(', ');
}
