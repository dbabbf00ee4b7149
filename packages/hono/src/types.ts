import type { FetchServerTimingOptions, ServerTimingRecorder } from '@otel-server-timing/fetch';
import type { Context } from 'hono';

/** Options of the Hono middleware {@link serverTiming}; per-request functions receive Hono's `Context`. */
export type HonoServerTimingOptions = FetchServerTimingOptions<Context>;

/**
 * The context variables {@link serverTiming} sets, for a typed app:
 * `new Hono<{ Variables: ServerTimingVariables }>()`, then `c.get('serverTiming').add({ name, duration })`.
 */
export type ServerTimingVariables = {
  serverTiming: ServerTimingRecorder;
};
