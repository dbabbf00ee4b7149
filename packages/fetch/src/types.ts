import type { Tracer } from '@opentelemetry/api';
import type { ServerTimingMetric, ServerTimingOptions } from '@otel-server-timing/core';

/**
 * Options of {@link withServerTiming} and of the adapters built on {@link FetchServerTiming}. Per-request
 * functions (`enabled`, `crossOrigin`, `descriptions`) receive `TRequest`: the `Request` for the wrapper,
 * the framework's own request object for an adapter (Hono's `Context`). They run after the handler, so
 * they can look at what it set.
 */
export type FetchServerTimingOptions<TRequest> = ServerTimingOptions<TRequest> & {
  /**
   * Used only when no instrumentation made a span for the request: a `SERVER` span is then started with
   * this tracer, the handler runs inside it so child spans join it, and it ends once the response is
   * ready. Default: none (timings then come only from an existing span).
   */
  tracer?: Tracer;
};

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

/** Any Fetch-API handler: Next.js route handlers, `Bun.serve`, `Deno.serve`, `app.fetch`. */
export type FetchHandler<TArgs extends unknown[] = unknown[]> = (
  request: Request,
  ...args: TArgs
) => Response | Promise<Response>;
