import type { Tracer } from '@opentelemetry/api';
import type { ServerTimingMetric, ServerTimingOptions } from '@otel-server-timing/core';
import type { Context } from 'hono';

/**
 * Options shared by {@link serverTiming} and {@link withServerTiming}. Per-request functions (`enabled`,
 * `crossOrigin`, `descriptions`) receive `TRequest`: Hono's `Context` for the middleware, the `Request`
 * for the wrapper. They run after the handler, so they can look at what it set.
 */
export type FetchServerTimingOptions<TRequest> = ServerTimingOptions<TRequest> & {
  /**
   * Used only when no instrumentation made a span for the request: the middleware then starts a `SERVER`
   * span with this tracer, runs the rest of the request inside it so child spans join it, and names it
   * `<METHOD> <route>` once the handler ran. Default: none (timings then come only from an existing span).
   */
  tracer?: Tracer;
};

/** Options of the Hono middleware {@link serverTiming}; per-request functions receive Hono's `Context`. */
export type HonoServerTimingOptions = FetchServerTimingOptions<Context>;

/** Options of {@link withServerTiming}; per-request functions receive the `Request`. */
export type RequestServerTimingOptions = FetchServerTimingOptions<Request>;

/** Collects the application's own metrics for the current response. */
export interface ServerTimingRecorder {
  /**
   * Adds one metric (`name`, optional `duration` in ms, optional `description`) to the current
   * response's `Server-Timing` header. Invalid input is ignored (reported with `diag`); never throws.
   */
  add(metric: ServerTimingMetric): void;
}

/**
 * The context variables {@link serverTiming} sets, for a typed app:
 * `new Hono<{ Variables: ServerTimingVariables }>()`, then `c.get('serverTiming').add({ name, duration })`.
 */
export type ServerTimingVariables = {
  serverTiming: ServerTimingRecorder;
};

/** Any Fetch-API handler: Next.js route handlers, `Bun.serve`, `Deno.serve`, `app.fetch`. */
export type FetchHandler<TArgs extends unknown[] = unknown[]> = (
  request: Request,
  ...args: TArgs
) => Response | Promise<Response>;
