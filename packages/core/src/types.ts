import type { Context, Span } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** One entry of a `Server-Timing` header: `name;dur=<duration>;desc="<description>"`. */
export type ServerTimingMetric = {
  /** Metric name. Made into a header token when formatted (`[!#$%&'*+.^_`|~0-9A-Za-z-]`). */
  name: string;
  /** Duration in milliseconds. Omitted from the header when absent or not a finite number. */
  duration?: number;
  /** Free text, written as a quoted string. */
  description?: string;
};

/** A metric as read back from a header or from `PerformanceServerTiming`: every field present. */
export type ParsedServerTimingMetric = {
  name: string;
  duration: number;
  description: string;
};

/** Options of {@link formatServerTiming}. */
export type FormatOptions = {
  /** Write `desc` parameters. Default `true`. */
  descriptions?: boolean;
};

/** How the durations of several spans that map to one metric name are combined. */
export type Aggregation = 'union' | 'sum' | 'max' | 'count';

/** Which trace-context metric the header carries. */
export type TraceContextForm = 'traceparent' | 'trace' | 'both' | 'none';

/** What a span mapping returns: a metric name, or a name with a description, or `null`/`undefined` to drop the span. */
export type SpanMetricMapping = string | { name: string; description?: string } | null | undefined;

/**
 * Options that decide what one header says. Set once on the processor; adapters may override them per
 * response.
 */
export type HeaderOptions = {
  /** Write `desc` parameters (span names, counts). Default `true`. */
  descriptions?: boolean;
  /**
   * Trace-context metric: `'traceparent'` writes `traceparent;desc="00-<trace-id>-<span-id>-<flags>"`,
   * `'trace'` the W3C Trace Context Level 2 form `trace;desc=00-…`, `'both'` both, `'none'` neither.
   * Default `'traceparent'`.
   */
  traceContext?: TraceContextForm;
  /** Byte budget of the whole header value. Default `1024`; from `256` (room for both trace-context forms, `total` and `other`) to `65536`. */
  maxBytes?: number;
  /** Most metrics in one header, not counting `total`, `other` and trace context. Default `16`. */
  maxMetrics?: number;
};

/** Options of {@link ServerTimingSpanProcessor}. */
export type ServerTimingProcessorOptions = HeaderOptions & {
  /**
   * Decides which spans open a request record. Called only for local roots (no parent, or a remote one).
   * Default: spans of kind `SERVER`.
   */
  isRequestRoot?: (span: ReadableSpan) => boolean;
  /**
   * Maps a finished child span to a metric name (and optionally a description). Return `undefined` to
   * fall back to the default mapping, `null` to leave the span out. Default: {@link defaultSpanMetricName}
   * with the span name as description. Spans started beneath a database operation or an outgoing call
   * are part of that operation: they reach neither this hook nor the header.
   */
  mapSpan?: (span: ReadableSpan) => SpanMetricMapping;
  /** Keeps a finished child span when it returns `true`. Default: every span. */
  filter?: (span: ReadableSpan) => boolean;
  /** How spans with the same metric name are combined. Default `'union'` (wall-clock union of intervals). */
  aggregation?: Aggregation;
  /**
   * Report framework layers (`middleware`, `handler`, `graphql`, Next.js's `render` and `data`) as their own (self) time: the time their
   * spans ran less the time of other metrics' spans inside them. Where layers nest (Koa's middleware
   * contains everything downstream), the plain union would only repeat `total`. Applies to the `'union'`
   * aggregation. Default `true`.
   */
  selfTime?: boolean;
  /** Write a `total` metric: the root span's elapsed time when the header is built. Default `true`. */
  total?: boolean;
  /**
   * Downstream services whose `Server-Timing` is folded into this service's header: their metrics under
   * a prefix that names them (`shipping.postgresql`), their `total` as `shipping.total`. Origins
   * (`'https://shipping.internal'`) or `{ origin, prefix }` entries, or a function of an outgoing call's URL
   * that returns `true` (fold, default prefix), a prefix, or `false`. The default prefix is the host name's
   * first label (`shipping` for `shipping.internal`), or, for an IP address, the address and port with
   * `_` for dots (`127_0_0_1_3001`). Calls through `node:http`/`node:https` and `fetch` are seen through
   * Node's diagnostics channels. Default: none. A downstream's internals become visible to this
   * service's clients.
   */
  downstream?: readonly (string | DownstreamOrigin)[] | ((url: URL) => boolean | string);
  /**
   * Most levels of services a folded metric may come through: 1 keeps only a downstream's own metrics, 2
   * also those it folded from its own downstreams, and so on. Known from the names: every folded name
   * carries one dot-separated prefix per level, so a downstream metric with `n` dots in its name counts as
   * `n + 1` levels (a name with dots of its own counts deeper than it is, never shallower). Default `2`.
   */
  downstreamMaxDepth?: number;
};

/** A downstream service whose `Server-Timing` is folded, with the prefix of its metrics. */
export type DownstreamOrigin = {
  /** Its origin, e.g. `'https://shipping.internal:8443'`. */
  origin: string;
  /** Prefix of its metrics: a header token without dots. Default: derived from the host. */
  prefix?: string;
};

/** Where a request can be found: the active context, or any span that belongs to the request. */
export type RequestTarget = Context | Span;
