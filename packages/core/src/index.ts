export type {
  CrossOrigin,
  ExposureOptions,
  PerRequest,
  PrivacyLevel,
  RequestExposure,
  SharedCacheHandling,
} from './exposure.js';
export { createExposurePolicy } from './exposure.js';
export { formatServerTiming } from './header/format.js';
export { formatTraceContext, toTraceparent } from './header/trace-context.js';
export { appendToListHeader } from './list-header.js';
export { MAX_ADDED_METRICS, MetricList } from './metric-list.js';
export type { EnvironmentVariable, OptionSchema, OptionSpec } from './option-schema.js';
export {
  ADAPTER_EXTRA_OPTIONS,
  ADAPTER_OPTIONS,
  OPTION_TABLES,
  PROCESSOR_OPTIONS,
} from './option-schema.js';
export { markOwnWork } from './own-work.js';
export { parseServerTiming } from './parse.js';
export type { HeaderCallOptions, HeaderRequest } from './processor.js';
export { ServerTimingSpanProcessor } from './processor.js';
export type { ServerTraceContext } from './read-trace-context.js';
export { parseTraceparent, readTraceContext } from './read-trace-context.js';
export { RecordingSampler } from './recording-sampler.js';
export { getServerTimingProcessor } from './registry.js';
export { onRequestRoot } from './request-roots.js';
export type { HeaderKind, ServerTimingOptions } from './server-timing-headers.js';
export { ServerTimingHeaders, ServerTimingResponder } from './server-timing-headers.js';
export type { CacheableExchange, HeaderLookup, HeuristicFreshness } from './shared-cache.js';
export { sharedCacheMayReplay } from './shared-cache.js';
export type { SpanClass, SpanRole } from './span-class.js';
export { classifySpan, defaultSpanMetricName } from './span-metric-name.js';
export { toMetricName } from './token.js';
export type {
  Aggregation,
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
