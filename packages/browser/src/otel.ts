export {
  ATTR_SERVER_SPAN_ID,
  ATTR_SERVER_TIMING_IGNORED,
  ATTR_SERVER_TRACE_ID,
  linkServerTiming,
  serverMetricAttribute,
} from './link-server-timing.js';
export type { EndingSpan } from './server-timing-link-processor.js';
export { ServerTimingLinkProcessor } from './server-timing-link-processor.js';
export type { ServerTiming, ServerTimingIgnoredReason, ServerTimingLinkOptions } from './types.js';
