/**
 * instrumentation-express wraps the `handle` of every layer an app or router adds (right after
 * `app.use`/`router.use`) and makes a span of each call, binding the layer and its `next` to contexts.
 * For the Server-Timing middleware that span would only time this library (core's mapping leaves it out
 * of the header anyway), and being traced is most of what the middleware costs a request.
 *
 * The wrapper is a shimmer wrapper: it keeps the function it wraps as `__original`. So on its first
 * request the middleware looks for the layer whose handle wraps it and gives the layer its own function
 * back; from then on Express calls the middleware directly. The first request is traced as before.
 * Only layers that match every path (`app.use(fn)`, `router.use(fn)`, `'/'`) are restored: for a layer
 * mounted at a path, the wrapper also records that path for the route name instrumentation-express
 * builds, which the middleware must not take away. When nothing is found (another instrumentation,
 * another version) nothing changes.
 */

type Layer = {
  handle?: unknown;
  /** Express 4: `regexp.fast_slash` is set when the layer matches every path. */
  regexp?: { fast_slash?: boolean };
  /** Express 5 (router 2): the same. */
  slash?: boolean;
};
type Wrapped = { __original?: unknown; stack?: unknown };
type ExpressApp = { _router?: { stack?: unknown }; router?: { stack?: unknown } };

/** How deep to look into routers mounted in routers. */
const MAX_DEPTH = 4;

function matchesEveryPath(layer: Layer): boolean {
  return layer.slash === true || layer.regexp?.fast_slash === true;
}

function restoreIn(stack: unknown, middleware: unknown, depth: number): boolean {
  if (!Array.isArray(stack)) return false;
  let restored = false;
  for (const layer of stack as Layer[]) {
    const handle = layer?.handle as (Wrapped & ((...args: never[]) => unknown)) | undefined;
    if (typeof handle !== 'function') continue;
    if (handle.__original === middleware && handle !== middleware && matchesEveryPath(layer)) {
      layer.handle = middleware;
      restored = true;
    } else if (depth < MAX_DEPTH && Array.isArray(handle.stack)) {
      // A router (or the instrumentation's wrapper of one, which passes `stack` through).
      restored = restoreIn(handle.stack, middleware, depth + 1) || restored;
    }
  }
  return restored;
}

/**
 * Gives every layer of `app` (and of the routers mounted in it) that wraps `middleware` its own function
 * back. Returns whether any was found. Never throws.
 */
export function restoreUntracedLayer(app: unknown, middleware: unknown): boolean {
  try {
    if (app === null || typeof app !== 'function') return false;
    const express = app as ExpressApp;
    // Express 4 keeps its router in `_router`; its `app.router` getter throws. Express 5 has `app.router`.
    const router = Object.hasOwn(express, '_router') ? express._router : express.router;
    return restoreIn(router?.stack, middleware, 0);
  } catch {
    return false;
  }
}
