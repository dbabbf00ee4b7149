import { context, type Span, trace } from '@opentelemetry/api';
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
    const requestContext = timing.begin(c.req.raw);
    if (requestContext === undefined) {
      const target = FetchServerTiming.activeSpan();
      await next();
      writeHeaders(c, target, metrics);
      return;
    }
    const span = trace.getSpan(requestContext) as Span;
    try {
      await context.with(requestContext, next);
    } catch (error) {
      timing.end(span, c.req.method, undefined, routeOf(c, middleware), error);
      throw error;
    }
    writeHeaders(c, span, metrics);
    timing.end(span, c.req.method, c.res.status, routeOf(c, middleware), c.error);
  };
  return middleware;
}
