export type { ServerTimingMetric } from '@otel-server-timing/core';
export type {
  /** @deprecated Import it from `@otel-server-timing/fetch`. */
  FetchHandler,
  /** @deprecated Import it from `@otel-server-timing/fetch`. */
  FetchServerTimingOptions,
  /** @deprecated Import it from `@otel-server-timing/fetch`. */
  RequestServerTimingOptions,
  ServerTimingRecorder,
} from '@otel-server-timing/fetch';
export { serverTiming } from './middleware.js';
export { addServerTiming } from './request-metrics.js';
export type { HonoServerTimingOptions, ServerTimingVariables } from './types.js';
export { withServerTiming } from './with-server-timing.js';
