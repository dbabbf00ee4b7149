export type { ServerTimingMetric } from '@otel-server-timing/core';
export { serverTiming } from './middleware.js';
export { addServerTiming } from './request-metrics.js';
export type {
  FetchHandler,
  FetchServerTimingOptions,
  HonoServerTimingOptions,
  RequestServerTimingOptions,
  ServerTimingRecorder,
  ServerTimingVariables,
} from './types.js';
export { withServerTiming } from './with-server-timing.js';
