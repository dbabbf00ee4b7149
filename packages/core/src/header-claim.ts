/**
 * Marks the span of a request that the processor keeps no record of (not sampled, or no processor at
 * all) once its trace context went into a header, so that the next writer of the same response (a Fetch
 * wrapper, then instrumentation-http's hook, then an adapter) does not write it again. A `Symbol.for` key,
 * so that every copy of this package sees the mark; a `WeakSet` only for spans that cannot take a property.
 */
const CLAIMED = Symbol.for('@otel-server-timing/core.headerClaimed');

let frozenClaims: WeakSet<object> | undefined;

/**
 * Claims the header of the request whose span is `span`: `true` the first time, `false` when a header
 * of that request was already built.
 */
export function claimHeader(span: object): boolean {
  if ((span as { [CLAIMED]?: true })[CLAIMED] === true || frozenClaims?.has(span) === true) return false;
  if (Object.isExtensible(span)) {
    (span as { [CLAIMED]?: true })[CLAIMED] = true;
  } else {
    frozenClaims ??= new WeakSet();
    frozenClaims.add(span);
  }
  return true;
}
