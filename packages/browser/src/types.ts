import type { ParsedServerTimingMetric, ServerTraceContext } from '@otel-server-timing/core';

export type { ParsedServerTimingMetric, ServerTraceContext };

/**
 * Why an entry's server timings were left out:
 * - `'cache'`: the response came from the HTTP cache (nothing transferred, `transferSize` 0, for a response
 *   with a body or with server timings; or `deliveryType` `'cache'` with nothing transferred), so its
 *   `Server-Timing` is a copy from an earlier request. A revalidated response (`304`) is kept: its timings
 *   are the server's fresh ones.
 * - `'cross-origin'`: a cross-origin response whose timings the browser hid (no `Timing-Allow-Origin` matching
 *   this page, or no response at all).
 * - `'unknown'`: the browser does not say whether the response came from its cache (the entry has no
 *   `transferSize`), so its timings may be a stale copy.
 * - `'unsupported'`: this browser does not expose `serverTiming` (e.g. Firefox outside a secure context).
 * - `'replayed'`: a shared cache (CDN, proxy) served a stored copy over the network: the server's
 *   `timestamp` beside the trace context is older than this request by more than the clock skew allowed
 *   (`maxClockSkew`), so its timings and trace context are another visitor's.
 */
export type ServerTimingIgnoredReason = 'cache' | 'cross-origin' | 'unknown' | 'unsupported' | 'replayed';

/** Options of {@link readServerTiming} and {@link getServerTiming}. */
export type ReadOptions = {
  /**
   * How far (ms) the server's clock may be behind the page's before a response stamped with a
   * `timestamp` counts as replayed by a shared cache. Default `30000`: replays younger than that are not
   * recognised; a page whose clock is further ahead than that loses the link, never gets a wrong one.
   */
  maxClockSkew?: number;
};

/** What the server said about one response, read from its navigation or resource timing entry. */
export type ServerTiming = {
  /** The entry's URL (the requested URL, before redirects). */
  url: string;
  /** The server's metrics, without the trace-context ones (`traceparent`, `trace`). Empty when ignored. */
  metrics: ParsedServerTimingMetric[];
  /** The server span's context, from the `traceparent` metric or else the W3C Level 2 `trace` metric. */
  traceContext: ServerTraceContext | undefined;
  /** Set when the entry's timings were left out, and why. */
  ignored: ServerTimingIgnoredReason | undefined;
};

/** A resource or navigation timing entry (`PerformanceNavigationTiming` is one too). */
export type TimingEntry = PerformanceResourceTiming;

/** The parts of a `web-vitals` metric report that {@link attachServerTiming} looks at. */
export type WebVitalsMetricLike = {
  /** `'navigate'`, `'reload'`, `'back-forward-cache'`, `'soft-navigation'`… */
  navigationType?: string;
};

/** A `web-vitals` metric report with the server timing of the page's navigation. */
export type WithServerTiming<TMetric> = TMetric & {
  /**
   * The page's navigation response as the server described it; `ignored: 'cache'` after a back/forward-cache
   * restore, `undefined` for a soft navigation or when the page has no navigation entry.
   */
  serverTiming: ServerTiming | undefined;
};

/** Options of `ServerTimingLinkProcessor` and `linkServerTiming`. */
export type ServerTimingLinkOptions = ReadOptions & {
  /** Write each server metric as a `server_timing.<name>.duration` attribute. Default `true`. */
  metricAttributes?: boolean;
};
