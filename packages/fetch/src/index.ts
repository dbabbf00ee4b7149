export type { ServerTimingMetric } from '@otel-server-timing/core';
export { FetchServerTiming } from './fetch-server-timing.js';
export { addServerTiming, RequestMetrics } from './request-metrics.js';
export type {
  FetchHandler,
  FetchServerTimingOptions,
  RequestServerTimingOptions,
  ServerTimingRecorder,
} from './types.js';
export { withServerTiming } from './with-server-timing.js';
