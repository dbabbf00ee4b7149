import { type Span, SpanKind, trace } from '@opentelemetry/api';
import { SpanMark } from './span-mark.js';

/**
 * Spans that time this library's own work (the span a framework instrumentation makes of an adapter's
 * middleware or hook). The mark is seen by an ESM and a CommonJS copy of core alike, and holds no span alive.
 */
const ownWork = /* @__PURE__ */ new SpanMark('@otel-server-timing/core.own-work');

/**
 * For the framework adapters (internal): call it while the adapter's own middleware or hook runs. The
 * span active then, if a framework instrumentation made one of that middleware, times this library
 * rather than the application, so no processor turns it into a metric (and layers that contain it do not
 * count its time as theirs). A `SERVER` span is the request itself (no framework instrumentation wrapped
 * the middleware) and is left alone. Never throws.
 */
export function markOwnWork(span: Span | undefined = trace.getActiveSpan()): void {
  try {
    if (span !== undefined && (span as { kind?: unknown }).kind !== SpanKind.SERVER) ownWork.set(span);
  } catch {
    // A span that cannot be marked is simply not marked.
  }
}

/** Whether an adapter marked `span` with {@link markOwnWork}. */
export function isOwnWork(span: object): boolean {
  return ownWork.has(span);
}
