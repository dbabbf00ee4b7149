import { attachAtRouterEntry, type EntryAttach, isRouter } from './router-entry.js';

/**
 * What becomes of the middleware's layers after its first request in an app.
 *
 * instrumentation-express wraps the `handle` of every layer an app or router adds (right after
 * `app.use`/`router.use`) and makes a span of each call, binding the layer and its `next` to contexts.
 * For the Server-Timing middleware that span would only time this library (core's mapping leaves it out
 * of the header anyway), and being traced is most of what the middleware costs a request.
 *
 * The wrapper is a shimmer wrapper: it keeps the function it wraps as `__original`. So on its first
 * request in an app the middleware looks for the layers that hold it there (in the app's router and the
 * routers mounted in it). A layer that is the first of its router leaves the router, which attaches at
 * its entry instead (`router-entry.ts`, when the options allow it); any other gets its own function back,
 * so Express calls the middleware directly. The first request is traced as before. Only layers that
 * match every path (`app.use(fn)`, `router.use(fn)`, `'/'`) are touched: for a layer mounted at a path,
 * the wrapper also records that path for the route name instrumentation-express builds, which the
 * middleware must not take away. When nothing is found (another instrumentation, another version)
 * nothing changes.
 */

type Layer = {
  handle?: unknown;
  /** The name of the function the layer was made with. */
  name?: unknown;
  /** Express 4: `regexp.fast_slash` is set when the layer matches every path. */
  regexp?: { fast_slash?: boolean };
  /** Express 5 (router 2): the same. */
  slash?: boolean;
};
type Wrapped = { __original?: unknown; stack?: unknown };
type ExpressApp = { _router?: unknown; router?: unknown };

/** How deep to look into routers mounted in routers. */
const MAX_DEPTH = 4;

function matchesEveryPath(layer: Layer): boolean {
  return layer.slash === true || layer.regexp?.fast_slash === true;
}

/**
 * Where the application's layers begin in `router`'s stack: Express 4 gives each app's router two layers
 * of its own first (`query` parses `req.query`, `expressInit` gives `req` and `res` Express's prototypes),
 * which run no application code and do not read `res.serverTiming`.
 */
function firstApplicationLayer(stack: Layer[], appRouter: boolean): number {
  return appRouter && stack[0]?.name === 'query' && stack[1]?.name === 'expressInit' ? 2 : 0;
}

function takeOverIn(
  router: unknown,
  middleware: unknown,
  attach: EntryAttach | undefined,
  depth: number,
): boolean {
  const stack = (router as Wrapped | undefined)?.stack;
  if (!Array.isArray(stack)) return false;
  const first = firstApplicationLayer(stack as Layer[], depth === 0);
  let found = false;
  for (const [index, layer] of (stack as Layer[]).entries()) {
    const handle = layer?.handle as (Wrapped & ((...args: never[]) => unknown)) | undefined;
    if (typeof handle !== 'function') continue;
    if ((handle === middleware || handle.__original === middleware) && matchesEveryPath(layer)) {
      if (attach !== undefined && index === first && isRouter(router)) {
        attachAtRouterEntry(router, layer, attach);
      } else {
        layer.handle = middleware;
      }
      found = true;
    } else if (depth < MAX_DEPTH && Array.isArray(handle.stack)) {
      // A router; instrumentation-express's wrapper of one passes `stack` through and keeps the router
      // itself, whose `handle` is the one the router calls, as `__original`.
      found = takeOverIn(handle.__original ?? handle, middleware, attach, depth + 1) || found;
    }
  }
  return found;
}

/**
 * Takes `middleware`'s layers in `app` (and in the routers mounted in it) out of instrumentation-express's
 * hands: out of the router, attaching with `attach` at its entry, where that keeps behaviour (`attach`
 * given, the layer first and matching every path), else given its own function back. Returns whether
 * any was found. Never throws.
 */
export function takeOverLayers(app: unknown, middleware: unknown, attach: EntryAttach | undefined): boolean {
  try {
    if (app === null || typeof app !== 'function') return false;
    const express = app as ExpressApp;
    // Express 4 keeps its router in `_router`; its `app.router` getter throws. Express 5 has `app.router`.
    const router = Object.hasOwn(express, '_router') ? express._router : express.router;
    return takeOverIn(router, middleware, attach, 0);
  } catch {
    return false;
  }
}
