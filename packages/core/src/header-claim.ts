import { SpanMark } from './span-mark.js';

/**
 * Marks the span of a request that the processor keeps no record of (not sampled, or no processor at
 * all) once its trace context went into a header, so that the next writer of the same response (a Fetch
 * wrapper, then instrumentation-http's hook, then an adapter) does not write it again.
 */
const claimed = /* @__PURE__ */ new SpanMark('@otel-server-timing/core.headerClaimed');

/**
 * Claims the header of the request whose span is `span`: `true` the first time, `false` when a header
 * of that request was already built.
 */
export function claimHeader(span: object): boolean {
  return claimed.set(span);
}
