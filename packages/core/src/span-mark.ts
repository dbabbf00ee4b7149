/**
 * A yes/no mark on span objects, kept under a `Symbol.for` key so that every copy of this package (an ESM
 * and a CommonJS one) sees it. A property write rather than a `WeakSet` entry, which V8 pays for at every
 * garbage collection (see record-link.ts); spans that cannot take a property (the write throws: class
 * code is strict) fall back to a `WeakSet` of this copy's.
 */
export class SpanMark {
  readonly #key: symbol;
  #frozenSpans: WeakSet<object> | undefined;

  constructor(name: string) {
    this.#key = Symbol.for(name);
  }

  has(span: object): boolean {
    return (span as Record<symbol, unknown>)[this.#key] === true || this.#frozenSpans?.has(span) === true;
  }

  /** Marks `span`; `false` when it was marked already. */
  set(span: object): boolean {
    if (this.has(span)) return false;
    try {
      (span as Record<symbol, unknown>)[this.#key] = true;
    } catch {
      this.#frozenSpans ??= new WeakSet();
      this.#frozenSpans.add(span);
    }
    return true;
  }
}
