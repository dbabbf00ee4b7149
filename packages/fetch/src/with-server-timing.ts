import { FetchServerTiming } from './fetch-server-timing.js';
import { takeRequestMetrics } from './request-metrics.js';
import type { FetchHandler, RequestServerTimingOptions } from './types.js';

const OWNER = '@otel-server-timing/fetch withServerTiming';

/**
 * Wraps any `(request: Request, ...rest) => Response | Promise<Response>` handler (a Next.js route
 * handler, `Bun.serve`'s or `Deno.serve`'s `fetch`, `app.fetch`) so its responses carry the request's
 * `Server-Timing` header. Returns a handler of the same shape, called with the same `this` and arguments.
 * Per-request option functions receive the `Request`. The handler adds metrics of its own with
 * `addServerTiming(request, metric)`. Errors the handler throws pass through unchanged.
 */
export function withServerTiming<TArgs extends unknown[]>(
  handler: FetchHandler<TArgs>,
  options?: RequestServerTimingOptions,
): (request: Request, ...args: TArgs) => Promise<Response> {
  if (typeof handler !== 'function') {
    throw new TypeError(
      `${OWNER}: the first argument must be a (request: Request) => Response handler; got ${String(handler)}.`,
    );
  }
  const timing = new FetchServerTiming<Request>(options, OWNER);

  return async function serverTimingHandler(
    this: unknown,
    request: Request,
    ...args: TArgs
  ): Promise<Response> {
    return timing.serve(
      request,
      () => Promise.resolve(handler.call(this, request, ...args)),
      (response, target) => timing.decorate(response, request, request, target, takeRequestMetrics(request)),
      (response) => ({ status: response?.status, route: undefined }),
    );
  };
}
