export type { ServerTimingMetric } from '@otel-server-timing/core';
export type { ServerTimingRecorder } from '@otel-server-timing/fetch';
export { serverTiming } from './middleware.js';
export { addServerTiming } from './request-metrics.js';
export type {
  FetchHandler,
  FetchServerTimingOptions,
  HonoServerTimingOptions,
  RequestServerTimingOptions,
  ServerTimingVariables,
} from './types.js';
export { withServerTiming } from './with-server-timing.js';
