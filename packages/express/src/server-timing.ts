import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import { markOwnWork } from '@otel-server-timing/core';
import { AdapterServerTiming, NO_SERVER_TIMING } from '@otel-server-timing/node/internal';
import type { Request } from 'express';
import { takeOverLayers } from './layer-takeover.js';
import { reserveServerTimingProperty, SERVER_TIMING_PROPERTY } from './response-property.js';
import type { EntryAttach } from './router-entry.js';
import type { ExpressServerTimingOptions } from './types.js';

const OWNER = '@otel-server-timing/express';

/** An Express or Connect middleware. */
export type ServerTimingMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Express (4 and 5) and Connect middleware that writes the request's OpenTelemetry timings into the
 * `Server-Timing` response header at the response's first byte: the finished child spans (database,
 * outgoing HTTP, middleware…), `total`, and the server span's `traceparent`. Mount it first
 * (`app.use(serverTiming())`), or on the routers that should have it. Handlers add their own metrics
 * with `res.serverTiming.add({ name, duration, description })`; a route opts out with
 * `res.serverTiming.skip()`.
 *
 * Throws a `TypeError` saying what to fix when an option is invalid; never throws on a request.
 */
export function serverTiming(options?: ExpressServerTimingOptions): ServerTimingMiddleware {
  const timing = new AdapterServerTiming<Request>(options, { owner: OWNER });
  reserveServerTimingProperty();
  const attach: EntryAttach = (req, res) => {
    try {
      // Express's `req` is the `IncomingMessage` itself, given Express's prototype by the time this runs.
      // A keyed store on purpose: V8 runs `res.serverTiming = …` on an Express response (a map of its
      // own) in the runtime, a keyed store into an own property in its generic code, about twice as fast.
      (res as Record<string, unknown>)[SERVER_TIMING_PROPERTY] =
        timing.attach(req as Request, req as IncomingMessage, res as ServerResponse) ?? NO_SERVER_TIMING;
    } catch (error) {
      // A response that cannot take the property (frozen, a setter that throws) is served without it.
      diag.error(`${OWNER}: could not set res.serverTiming`, error);
    }
  };
  // A per-request function must see `req` as the layer sees it, so with one the layer stays.
  const attachAtEntry = hasPerRequestFunction(options) ? undefined : attach;
  // Until its layers in an app are taken out of instrumentation-express's hands (`layer-takeover.ts`), the
  // middleware runs inside the span instrumentation-express made of its layer: that span times this
  // library, so it is marked as such. Most servers have one app: the last one's state is kept at hand.
  const tracedInApp = new WeakMap<object, boolean>();
  let lastApp: unknown;
  let tracedInLastApp = true;
  const middleware: ServerTimingMiddleware = function serverTimingMiddleware(req, res, next) {
    const app = (req as IncomingMessage & { app?: unknown }).app;
    if (app !== lastApp) {
      lastApp = app;
      tracedInLastApp = tracedIn(app);
    } else if (tracedInLastApp) {
      markOwnWork();
    }
    attach(req, res);
    next();
  };
  /** Whether the middleware is traced in `app` from now on; takes over its layers there on the first call. */
  function tracedIn(app: unknown): boolean {
    if (typeof app !== 'function') {
      markOwnWork();
      return true;
    }
    const known = tracedInApp.get(app);
    if (known === false) return false;
    markOwnWork();
    if (known === true) return true;
    const traced = !takeOverLayers(app, middleware, attachAtEntry);
    tracedInApp.set(app, traced);
    return traced;
  }
  return middleware;
}

/** Whether an option is a function of the request (`enabled`, `level`, `crossOrigin`, `descriptions`). */
function hasPerRequestFunction(options: ExpressServerTimingOptions | undefined): boolean {
  return options !== undefined && Object.values(options).some((value) => typeof value === 'function');
}
