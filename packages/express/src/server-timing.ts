import type { IncomingMessage, ServerResponse } from 'node:http';
import { markOwnWork } from '@otel-server-timing/core';
import { AdapterServerTiming, NO_SERVER_TIMING } from '@otel-server-timing/node/internal';
import type { Request } from 'express';
import { reserveServerTimingProperty, SERVER_TIMING_PROPERTY } from './response-property.js';
import type { ExpressServerTimingOptions } from './types.js';
import { restoreUntracedLayer } from './untraced-layer.js';

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
  // Until instrumentation-express's wrapper is taken off this middleware's layer, each call runs inside
  // the span it made of the layer: that span times this library, so it is marked as such.
  let traced = true;
  let firstRequest = true;
  const middleware: ServerTimingMiddleware = function serverTimingMiddleware(req, res, next) {
    if (traced) {
      markOwnWork();
      if (firstRequest) {
        // From the next request on, instrumentation-express no longer wraps this middleware in a span.
        firstRequest = false;
        traced = !restoreUntracedLayer((req as IncomingMessage & { app?: unknown }).app, middleware);
      }
    }
    // Express's `req` is the `IncomingMessage` itself, given Express's prototype by the time this runs.
    // A keyed store on purpose: V8 runs `res.serverTiming = …` on an Express response (a map of its own)
    // in the runtime, a keyed store into an own property in its generic code, about twice as fast.
    (res as unknown as Record<string, unknown>)[SERVER_TIMING_PROPERTY] =
      timing.attach(req as Request, req, res) ?? NO_SERVER_TIMING;
    next();
  };
  return middleware;
}
