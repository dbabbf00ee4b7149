import type { ServerTimingOptions } from '@otel-server-timing/core';
import type { NodeServerTimingOptions, ResponseServerTiming } from '@otel-server-timing/node';
import type { Context } from 'koa';

/**
 * Options of {@link serverTiming}. The per-request functions (`enabled`, `crossOrigin`, `descriptions`)
 * receive Koa's `ctx` and run once per request, after the downstream middleware and before Koa sends the
 * response, so they can look at what the handlers set (`ctx.status`, `ctx.state`, the matched route).
 */
export type KoaServerTimingOptions = ServerTimingOptions<Context> & Pick<NodeServerTimingOptions, 'trailers'>;

declare module 'koa' {
  interface DefaultContext {
    /**
     * This response's Server-Timing: `ctx.serverTiming.add({ name, duration, description })` adds a metric
     * of the application's own. Set by the `serverTiming()` middleware; a no-op when timings are disabled
     * for the request. Never throws.
     */
    serverTiming: ResponseServerTiming;
  }

  interface DefaultState {
    /** Set to `false` (in a route or middleware) to send no Server-Timing for this request. */
    serverTiming?: boolean;
  }
}
