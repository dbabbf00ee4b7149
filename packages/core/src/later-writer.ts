import { SpanMark } from './span-mark.js';

/**
 * Marks the root span of a request whose response a writer of the server's own response (node's, which
 * writes at `writeHead`) will write after any Fetch-API writer of the same request. Versioned: a copy of
 * this package that reads the mark differently must not see it.
 */
const laterWriter = /* @__PURE__ */ new SpanMark('@otel-server-timing/core.laterWriter/v1');

/** Notes that a writer will come after the Fetch-API writers of the request whose root span is `span`. */
export function expectLaterWriter(span: object): void {
  laterWriter.set(span);
}

/** `true` when a writer was announced to come after the Fetch-API writers of that request. */
export function hasLaterWriter(span: object): boolean {
  return laterWriter.has(span);
}
