import type { RequestRecord } from './request-record.js';

/**
 * Links spans to their request record. The record is stored on the span itself under a symbol only this
 * link knows, so it lives exactly as long as the span does. A `WeakMap` would say the same, but V8 pays
 * for every `WeakMap` entry at each garbage collection: measured at more than twice the cost of a span's
 * whole lifecycle under load, against about 5% for the property (see BENCHMARKS.md). Spans that cannot
 * take a property (frozen by some other SDK) fall back to a `WeakMap`.
 */
export class RecordLink {
  readonly #key = Symbol('@otel-server-timing/core.record');
  #frozenSpans: WeakMap<object, RequestRecord> | undefined;

  set(span: object, record: RequestRecord): void {
    if (Object.isExtensible(span)) {
      (span as Record<symbol, RequestRecord>)[this.#key] = record;
    } else {
      this.#frozenSpans ??= new WeakMap();
      this.#frozenSpans.set(span, record);
    }
  }

  get(span: object): RequestRecord | undefined {
    const record = (span as Record<symbol, RequestRecord | undefined>)[this.#key];
    if (record !== undefined || this.#frozenSpans === undefined) return record;
    return this.#frozenSpans.get(span);
  }
}
