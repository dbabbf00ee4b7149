import type { Span } from '@opentelemetry/api';
import { FetchServerTiming, RequestMetrics } from '@otel-server-timing/fetch';
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { HonoServerTimingOptions, ServerTimingVariables } from './types.js';

const OWNER = '@otel-server-timing/hono';

type ServerTimingEnv = { Variables: ServerTimingVariables };

/** The route pattern of the handler that answered, or `undefined` when no route after `self` matched. */
function routeOf(c: Context, self: unknown): string | undefined {
  try {
    const route = c.req.matchedRoutes[c.req.routeIndex];
    return route === undefined || route.handler === self ? undefined : route.path;
  } catch {
    return undefined;
  }
}

/** Sets `c.res` to a new response without Hono merging the old headers back over the new ones. */
function replaceResponse(c: Context, response: Response): void {
  c.res = undefined;
  c.res = response;
}

/**
 * Hono middleware that writes the request's OpenTelemetry timings as a `Server-Timing` header (appended to
 * any value already set, e.g. by `hono/timing`), with the trace context. The request's span comes from the
 * instrumentation that made it (`@hono/otel` registered before this middleware, instrumentation-http under
 * `@hono/node-server`), or, with the `tracer` option and no such span, from a `SERVER` span the middleware
 * starts itself. Handlers add metrics of their own with `c.get('serverTiming').add(metric)` or
 * {@link addServerTiming}. Invalid options throw a `TypeError`; nothing throws on the request path.
 */
export function serverTiming(options?: HonoServerTimingOptions): MiddlewareHandler<ServerTimingEnv> {
  const timing = new FetchServerTiming<Context>(options, OWNER);

  const writeHeaders = (c: Context, target: Span | undefined, metrics: RequestMetrics): void => {
    const response = c.res;
    const decorated = timing.decorate(response, c, c.req.raw, target, metrics.metrics);
    if (decorated !== response) replaceResponse(c, decorated);
  };

  const middleware = async function serverTiming(c: Context<ServerTimingEnv>, next: Next): Promise<void> {
    const metrics = new RequestMetrics();
    c.set('serverTiming', metrics);
    await timing.serve(
      c.req.raw,
      next,
      (_, target) => writeHeaders(c, target, metrics),
      (_, error) => ({
        status: error === undefined ? c.res.status : undefined,
        route: routeOf(c, middleware),
        error: error ?? c.error,
      }),
    );
  };
  return middleware;
}
