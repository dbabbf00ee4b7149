import type { IncomingMessage, ServerResponse } from 'node:http';
import { markOwnWork } from '@otel-server-timing/core';
import { NO_SERVER_TIMING, NodeServerTiming, type NodeServerTimingOptions } from '@otel-server-timing/node';
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
  // Express's `req` is the `IncomingMessage` itself, so the per-request functions already receive it.
  const timing = new NodeServerTiming(options as NodeServerTimingOptions | undefined, OWNER);
  return function serverTimingMiddleware(req, res, next) {
    markOwnWork();
    (res as ServerResponse & Pick<Express.Response, 'serverTiming'>).serverTiming =
      timing.attach(req, res) ?? NO_SERVER_TIMING;
    next();
  };
}
