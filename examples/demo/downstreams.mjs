// Which outgoing calls of the demo service have their Server-Timing folded into its own: the calls to its
// shipping service, under the prefix `shipping`. The shipping service adds its origin once it listens
// (port 0 picks it at start-up). No imports, so tracing.mjs can load it before anything is instrumented.
export const shippingOrigins = new Set();

/** The processor's `downstream` option: a function of each outgoing call's URL. */
export function foldShipping(url) {
  return shippingOrigins.has(url.origin) ? 'shipping' : false;
}
