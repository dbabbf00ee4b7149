export type { CrossOrigin, ExposureOptions, PerRequest, RequestExposure } from './exposure.js';
export { createExposurePolicy } from './exposure.js';
export { formatServerTiming } from './format.js';
export { markOwnWork } from './own-work.js';
export { parseServerTiming } from './parse.js';
export type { HeaderRequest } from './processor.js';
export { ServerTimingSpanProcessor } from './processor.js';
export { RecordingSampler } from './recording-sampler.js';
export { getServerTimingProcessor } from './registry.js';
export { onRequestRoot } from './request-roots.js';
export type { ServerTimingOptions } from './responder.js';
export { ServerTimingResponder } from './responder.js';
export type { SpanClass, SpanRole } from './span-class.js';
export { classifySpan, defaultSpanMetricName } from './span-metric-name.js';
export { toMetricName } from './token.js';
export type { ServerTraceContext } from './trace-context.js';
export { formatTraceContext, parseTraceparent, readTraceContext, toTraceparent } from './trace-context.js';
export type {
  Aggregation,
  DownstreamOptions,
  DownstreamOrigin,
  FormatOptions,
  HeaderOptions,
  ParsedServerTimingMetric,
  RequestTarget,
  ServerTimingMetric,
  ServerTimingProcessorOptions,
  SpanMetricMapping,
  TraceContextForm,
} from './types.js';
