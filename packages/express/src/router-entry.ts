/**
 * Express walks a router's layers one by one for every request, and each layer it passes costs the
 * request a match, a few objects and a turn of the router's loop, also a layer as small as this
 * middleware's. When the middleware's layer is the first of its router (after Express 4's own two on an
 * app) and matches every path, no application code runs between the router's entry and that layer:
 * attaching when the router starts handling the request gives every handler the same `res.serverTiming`
 * as the layer did. So the layer is taken out and the router's `handle` attaches first, then walks the
 * rest.
 *
 * Only for options without per-request functions: between the entry and the first layer the router
 * still sets `req.originalUrl`, `req.baseUrl`, `req.params` and `req.next`, which such a function could
 * read. With no function nothing of the application sees the difference.
 */

/** Attaches Server-Timing to a request's response. Never throws. */
export type EntryAttach = (req: unknown, res: unknown) => void;

/** An Express 4 or 5 router: a function whose `handle(req, res, next)` walks `stack`. */
export type Router = {
  handle: (this: unknown, req: unknown, res: unknown, next: unknown) => unknown;
  stack: unknown[];
};

export function isRouter(value: unknown): value is Router {
  return (
    (typeof value === 'function' || (typeof value === 'object' && value !== null)) &&
    typeof (value as Partial<Router>).handle === 'function' &&
    Array.isArray((value as Partial<Router>).stack)
  );
}

/**
 * Takes `layer`, the first of `router`'s stack, out of the stack and makes `router.handle` call `attach`
 * before it walks the rest. The stack is replaced, not changed in place: requests walking it now (the
 * router keeps the array it started with) still meet the layer, at the index they expect.
 */
export function attachAtRouterEntry(router: Router, layer: unknown, attach: EntryAttach): void {
  router.stack = router.stack.filter((other) => other !== layer);
  const handle = router.handle;
  router.handle = function handleWithServerTiming(req, res, next) {
    attach(req, res);
    return handle.call(this, req, res, next);
  };
}
