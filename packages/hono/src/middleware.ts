import type { Span } from '@opentelemetry/api';
import { FetchServerTiming, RequestMetrics } from '@otel-server-timing/fetch';
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { HonoServerTimingOptions, ServerTimingVariables } from './types.js';

const OWNER = '@otel-server-timing/hono';

type ServerTimingEnv = { Variables: ServerTimingVariables };

/**
 * Where a request's response is a Node response written after the handler (Hono under
 * `@hono/node-server`), the way to let Node write the header at its first byte instead of the middleware
 * writing it onto the Web `Response`. Only the Node entry of this package has one.
 */
export interface NodeResponsePath {
  /**
   * Arranges for the Node response of `c` to carry the request's timings, with the metrics the handlers
   * add to `metrics`. Returns `false`, having done nothing, when the request has no Node response or no
   * span of this process: it then takes the Fetch path. Never throws.
   */
  attach(c: Context, metrics: RequestMetrics): boolean;
}

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
 * The middleware of {@link serverTiming}, taking `nodeResponses` first when there is one (the Node entry),
 * the Fetch path otherwise: the handler runs, then the header is written onto the Web `Response`.
 */
export function serverTimingMiddleware(
  options: HonoServerTimingOptions | undefined,
  nodeResponses?: NodeResponsePath,
): MiddlewareHandler<ServerTimingEnv> {
  const timing = new FetchServerTiming<Context>(options, OWNER);

  const writeHeaders = (c: Context, target: Span | undefined, metrics: RequestMetrics): void => {
    const response = c.res;
    const decorated = timing.decorate(response, c, c.req.raw, target, metrics.metrics);
    if (decorated !== response) replaceResponse(c, decorated);
  };

  const throughFetch = async (c: Context, next: Next, metrics: RequestMetrics): Promise<void> => {
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

  const middleware = function serverTiming(c: Context<ServerTimingEnv>, next: Next): Promise<void> {
    const metrics = new RequestMetrics();
    c.set('serverTiming', metrics);
    // Node writes the header: nothing to wait for, and Hono's response stays as the handler made it
    // (touching its headers would make @hono/node-server build a full Web Response).
    if (nodeResponses?.attach(c, metrics) === true) return next();
    return throughFetch(c, next, metrics);
  };
  return middleware;
}

/**
 * Hono middleware that writes the request's OpenTelemetry timings as a `Server-Timing` header (appended to
 * any value already set, e.g. by `hono/timing`), with the trace context. The request's span comes from the
 * instrumentation that made it (`@hono/otel` registered before this middleware, instrumentation-http under
 * `@hono/node-server`), or, with the `tracer` option and no such span, from a `SERVER` span the middleware
 * starts itself. Handlers add metrics of their own with `c.get('serverTiming').add(metric)` or
 * {@link addServerTiming}. Under `@hono/node-server` with a span of this process active, Node writes the
 * header at the response's first byte; everywhere else the middleware writes it onto the `Response` after
 * the handler. Either way, per-request options see the `Context` as the handler left it. Invalid options
 * throw a `TypeError`; nothing throws on the request path.
 */
export function serverTiming(options?: HonoServerTimingOptions): MiddlewareHandler<ServerTimingEnv> {
  return serverTimingMiddleware(options);
}
