import type { SpanLink } from './span-link.js';

/**
 * Links spans to their request record (and what is known of them, see `SpanLink`). The link is stored on the span itself under a symbol only this
 * link knows, so it lives exactly as long as the span does. A `WeakMap` would say the same, but V8 pays
 * for every `WeakMap` entry at each garbage collection: measured at more than twice the cost of a span's
 * whole lifecycle under load, against about 5% for the property (see BENCHMARKS.md). Spans that cannot
 * take a property (frozen by some other SDK) fall back to a `WeakMap`: the write throws for them (class
 * code is strict), which costs nothing when it does not, where asking `Object.isExtensible` first calls
 * into the engine's runtime for every span (about 150 instructions a span, under callgrind).
 */
export class RecordLink {
  readonly #key = Symbol('@otel-server-timing/core.record');
  #frozenSpans: WeakMap<object, SpanLink> | undefined;

  /**
   * Links `span` to `link`, or, with `undefined`, says it belongs to no request. Every span is given the
   * property, `undefined` or not: V8 sizes the objects of a class by the properties its first few instances
   * took, and a span that takes one without room for it gets a property array of its own (40 bytes a
   * span), as every span did when a service's first spans (made at start-up) belonged to no request.
   */
  set(span: object, link: SpanLink | undefined): void {
    try {
      (span as Record<symbol, SpanLink | undefined>)[this.#key] = link;
    } catch {
      if (link === undefined) return;
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
