import type {
  FetchHandler as FetchPackageHandler,
  FetchServerTimingOptions as FetchPackageOptions,
  RequestServerTimingOptions as FetchPackageRequestOptions,
  ServerTimingRecorder,
} from '@otel-server-timing/fetch';
import type { Context } from 'hono';

/** @deprecated Import `FetchServerTimingOptions` from `@otel-server-timing/fetch`; the same type. */
export type FetchServerTimingOptions<TRequest> = FetchPackageOptions<TRequest>;

/** @deprecated Import `RequestServerTimingOptions` from `@otel-server-timing/fetch`; the same type. */
export type RequestServerTimingOptions = FetchPackageRequestOptions;

/** @deprecated Import `FetchHandler` from `@otel-server-timing/fetch`; the same type. */
export type FetchHandler<TArgs extends unknown[] = unknown[]> = FetchPackageHandler<TArgs>;

/** Options of the Hono middleware {@link serverTiming}; per-request functions receive Hono's `Context`. */
export type HonoServerTimingOptions = FetchPackageOptions<Context>;

/**
 * The context variables {@link serverTiming} sets, for a typed app:
 * `new Hono<{ Variables: ServerTimingVariables }>()`, then `c.get('serverTiming').add({ name, duration })`.
 */
export type ServerTimingVariables = {
  serverTiming: ServerTimingRecorder;
};
