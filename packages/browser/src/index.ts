export { getServerTiming } from './get-server-timing.js';
export { observeServerTiming } from './observe-server-timing.js';
export { readServerTiming } from './read-server-timing.js';
export type {
  ParsedServerTimingMetric,
  ReadOptions,
  ServerTiming,
  ServerTimingIgnoredReason,
  ServerTraceContext,
  TimingEntry,
  WebVitalsMetricLike,
  WithServerTiming,
} from './types.js';
export { attachServerTiming, withServerTiming, withVitalsServerTiming } from './web-vitals.js';
