import { MetricList, type ServerTimingMetric } from '@otel-server-timing/core';
import type { ResponseServerTiming } from '@otel-server-timing/node';
import { NO_SERVER_TIMING } from '@otel-server-timing/node/internal';

/**
 * `ctx.serverTiming`: keeps what handlers add until the middleware attaches the response (after the
 * downstream middleware ran), then hands everything to the response's handle.
 */
export class KoaResponseTiming implements ResponseServerTiming {
  /** The response's handle once attached (`NO_SERVER_TIMING` when it gets no timings); `undefined` before. */
  #handle: ResponseServerTiming | undefined;
  #pending: MetricList | undefined;
  /** `skip()` was called: the middleware attaches nothing. */
  skipped = false;

  add(metric: ServerTimingMetric): void {
    if (this.#handle !== undefined) {
      this.#handle.add(metric);
      return;
    }
    this.#pending ??= new MetricList('@otel-server-timing/koa');
    this.#pending.add(metric);
  }

  skip(): void {
    this.skipped = true;
    this.#pending = undefined;
    this.#handle?.skip();
  }

  /** Hands the metrics added so far, and all later ones, to `handle`. */
  attached(handle: ResponseServerTiming | undefined): void {
    this.#handle = handle ?? NO_SERVER_TIMING;
    this.#pending?.addTo(this.#handle);
    this.#pending = undefined;
  }
}
