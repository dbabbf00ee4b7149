import type { FastifyRequest } from 'fastify';

/**
 * The `config` a route was declared with, for each request. `request.routeOptions` builds a new object
 * of twelve fields on every read (and asks the router about version constraints), so the hook reads the
 * route's context, which Fastify 4 and 5 keep on each request under a symbol described as below, and
 * falls back to `routeOptions` where it is not found.
 */
const ROUTE_CONTEXT = 'fastify.context';

type RouteConfig = { serverTiming?: unknown } | undefined;

let routeContextKey: symbol | null | undefined;

function findRouteContextKey(request: FastifyRequest): symbol | null {
  for (const symbol of Object.getOwnPropertySymbols(request)) {
    if (symbol.description === ROUTE_CONTEXT) return symbol;
  }
  return null;
}

/** The route's `config` for `request` (what `request.routeOptions.config` returns). */
export function routeConfig(request: FastifyRequest): RouteConfig {
  routeContextKey ??= findRouteContextKey(request);
  if (routeContextKey !== null) {
    const context = (request as unknown as Record<symbol, { config?: RouteConfig } | undefined>)[
      routeContextKey
    ];
    if (context !== undefined) return context.config;
  }
  return request.routeOptions.config as RouteConfig;
}
