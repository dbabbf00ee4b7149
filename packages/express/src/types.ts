import type { ServerTimingOptions } from '@otel-server-timing/core';
import type { NodeServerTimingOptions, ResponseServerTiming } from '@otel-server-timing/node';
import type { Request } from 'express';

/**
 * Options of {@link serverTiming}. The per-request functions (`enabled`, `crossOrigin`, `descriptions`)
 * receive Express's `req` and run once per request, when the middleware runs.
 */
export type ExpressServerTimingOptions = ServerTimingOptions<Request> &
  Pick<NodeServerTimingOptions, 'trailers'>;

declare global {
  namespace Express {
    interface Response {
      /**
       * This response's Server-Timing: `res.serverTiming.add({ name, duration, description })` adds a
       * metric of the application's own. Set by the `serverTiming()` middleware on every request it runs
       * for (a no-op when timings are disabled for the request); absent where the middleware did not run.
       * Never throws.
       */
      serverTiming: ResponseServerTiming;
    }
  }
}
