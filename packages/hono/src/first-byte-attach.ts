import type { Span } from '@opentelemetry/api';
import type { ServerTimingMetric } from '@otel-server-timing/core';
import type { RequestMetrics } from '@otel-server-timing/fetch';
import type { NodeRequest, NodeResponse, ResponseServerTiming } from '@otel-server-timing/node';
import {
  type AdapterServerTiming,
  AUTOMATIC,
  BEFORE_END,
  BEFORE_HEAD,
  type InterceptedTiming,
  setTimingOf,
  timingOf,
} from '@otel-server-timing/node/internal';
import type { Context } from 'hono';

/**
 * What the Hono middleware puts on a Node response: the attach itself waits for the response's first
 * byte, so that the per-request options (`enabled`, `crossOrigin`, `level`…) see Hono's `Context` as the
 * handler left it, as they do on the Fetch path. Then it attaches with the middleware's options (an
 * automatic hook's attach gives way, another adapter's stays), hands over the metrics the handlers added,
 * and lets that timing write the header.
 */
export class FirstByteAttach implements InterceptedTiming, ResponseServerTiming {
  readonly #timing: AdapterServerTiming<Context>;
  readonly #context: Context;
  readonly #request: NodeRequest;
  readonly #response: NodeResponse;
  readonly #target: Span;
  readonly #metrics: RequestMetrics;
  /** What the response carried before (an automatic hook's attach), put back before attaching. */
  readonly #previous: InterceptedTiming | undefined;

  constructor(
    timing: AdapterServerTiming<Context>,
    context: Context,
    request: NodeRequest,
    response: NodeResponse,
    target: Span,
    metrics: RequestMetrics,
  ) {
    this.#timing = timing;
    this.#context = context;
    this.#request = request;
    this.#response = response;
    this.#target = target;
    this.#metrics = metrics;
    this.#previous = timingOf(response);
  }

  /** Puts this on the response (over what it carried) and notes that the request's header comes from Node. */
  install(): void {
    // Announced now, not at the first byte: a Fetch-API writer of the same request (withServerTiming
    // around app.fetch) writes before that, and must leave the request recorded for this header. An
    // automatic hook's attach (`previous`) announced it already.
    if (this.#previous === undefined) this.#timing.expectLaterWriter(this.#target);
    setTimingOf(this.#response, this);
  }

  /** An explicit attach: another adapter attaching the same response gets this as its handle. */
  get [AUTOMATIC](): boolean {
    return false;
  }

  add(metric: ServerTimingMetric): void {
    this.#metrics.add(metric);
  }

  skip(): void {
    (this.#attach() as ResponseServerTiming | undefined)?.skip();
  }

  [BEFORE_HEAD](response: NodeResponse, statusCode: unknown, headers: unknown): unknown {
    const timing = this.#attach();
    return timing === undefined ? headers : timing[BEFORE_HEAD](response, statusCode, headers);
  }

  [BEFORE_END](response: NodeResponse): void {
    this.#attach()?.[BEFORE_END](response);
  }

  /** Attaches for real, once (it takes this off the response), and returns what the response then carries. */
  #attach(): InterceptedTiming | undefined {
    const response = this.#response;
    const current = timingOf(response);
    if (current !== this) return current;
    setTimingOf(response, this.#previous);
    // `install` announced the later writer already (or the automatic hook's attach did).
    const handle = this.#timing.attach(this.#context, this.#request, response, this.#target, true);
    if (handle !== undefined) this.#metrics.addTo(handle);
    return timingOf(response);
  }
}
