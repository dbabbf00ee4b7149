import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { ServerTimingMetric, ServerTimingOptions } from '@otel-server-timing/core';

/** A request of `node:http` (and `node:https`) or of the `node:http2` compatibility API. */
export type NodeRequest = IncomingMessage | Http2ServerRequest;

/** A response of `node:http` (and `node:https`) or of the `node:http2` compatibility API. */
export type NodeResponse = ServerResponse | Http2ServerResponse;

/** Options of {@link NodeServerTiming} and of everything built on it. */
export type NodeServerTimingOptions = ServerTimingOptions<NodeRequest> & {
  /**
   * Send what finishes after the headers as a `Server-Timing` trailer (chunked HTTP/1.1, HTTP/2).
   * Browsers do not expose trailers to the Performance API; they are for DevTools and other clients.
   * Default `false`.
   */
  trailers?: boolean;
};

/** Per-response handle returned by `NodeServerTiming.attach`. */
export interface ResponseServerTiming {
  /**
   * Adds a metric of the application's own to this response: to the header if it has not been sent
   * yet, else to the trailer if trailers are on for this response, else it is dropped. The metric is
   * copied; one without a non-empty string `name`, or beyond 64 per response, is ignored and reported
   * through `diag` (core's `MetricList`, the contract of every adapter). Never throws.
   */
  add(metric: ServerTimingMetric): void;
  /**
   * Sends no timings with this response: no `Server-Timing`, `Timing-Allow-Origin` or trailer (a route's
   * opt-out after the middleware attached). No effect once the headers are sent. Never throws.
   */
  skip(): void;
}
