import { type Span, trace } from '@opentelemetry/api';

/**
 * Spans that time this library's own work (the span a framework instrumentation makes of an adapter's
 * middleware or hook). Kept on a `Symbol.for` key of `globalThis`, so that an ESM and a CommonJS copy of
 * core share it; weak, so it holds no span alive.
 */
const OWN_WORK = Symbol.for('@otel-server-timing/core.own-work');
type Holder = { [OWN_WORK]?: WeakSet<object> };

function ownWorkSpans(): WeakSet<object> {
  const holder = globalThis as Holder;
  let spans = holder[OWN_WORK];
  if (spans === undefined) {
    spans = new WeakSet();
    holder[OWN_WORK] = spans;
  }
  return spans;
}

/**
 * For the framework adapters (internal): call it while the adapter's own middleware or hook runs. The
 * span active then, if a framework instrumentation made one of that middleware, times this library
 * rather than the application, so no processor turns it into a metric (and layers that contain it do not
 * count its time as theirs). Never throws.
 */
export function markOwnWork(span: Span | undefined = trace.getActiveSpan()): void {
  try {
    if (span !== undefined) ownWorkSpans().add(span);
  } catch {
    // A span that cannot be held weakly is simply not marked.
  }
}

/** The shared set once some copy of core made it (it is never replaced), so the hot path skips the look-up. */
let knownSpans: WeakSet<object> | undefined;

/** Whether an adapter marked `span` with {@link markOwnWork}. */
export function isOwnWork(span: object): boolean {
  knownSpans ??= (globalThis as Holder)[OWN_WORK];
  return knownSpans?.has(span) === true;
}
