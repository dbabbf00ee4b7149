import type { SpanLink } from './span-link.js';

/**
 * Links spans to their request record (and what is known of them, see `SpanLink`). The link is stored on the span itself under a symbol only this
 * link knows, so it lives exactly as long as the span does. A `WeakMap` would say the same, but V8 pays
 * for every `WeakMap` entry at each garbage collection: measured at more than twice the cost of a span's
 * whole lifecycle under load, against about 5% for the property (see BENCHMARKS.md). Spans that cannot
 * take a property (frozen by some other SDK) fall back to a `WeakMap`.
 */
export class RecordLink {
  readonly #key = Symbol('@otel-server-timing/core.record');
  #frozenSpans: WeakMap<object, SpanLink> | undefined;

  set(span: object, link: SpanLink): void {
    if (Object.isExtensible(span)) {
      (span as Record<symbol, SpanLink>)[this.#key] = link;
    } else {
      this.#frozenSpans ??= new WeakMap();
      this.#frozenSpans.set(span, link);
    }
  }

  get(span: object): SpanLink | undefined {
    const link = (span as Record<symbol, SpanLink | undefined>)[this.#key];
    if (link !== undefined || this.#frozenSpans === undefined) return link;
    return this.#frozenSpans.get(span);
  }
}
