import { ServerResponse } from 'node:http';
import { Http2ServerResponse } from 'node:http2';
import { diag } from '@opentelemetry/api';
import { FetchServerTiming, type RequestMetrics } from '@otel-server-timing/fetch';
import type { NodeRequest } from '@otel-server-timing/node';
import { AdapterServerTiming } from '@otel-server-timing/node/internal';
import type { Context } from 'hono';
import { FirstByteAttach } from './first-byte-attach.js';
import type { NodeResponsePath } from './middleware.js';
import type { HonoServerTimingOptions } from './types.js';

const OWNER = '@otel-server-timing/hono';

/** What `@hono/node-server` hands `app.fetch` as Hono's `c.env`. */
type NodeServerBindings = { incoming?: unknown; outgoing?: unknown };

/**
 * The Node path of the middleware, for Hono under `@hono/node-server`: the Node response (`c.env.outgoing`)
 * gets the header at its first byte from this project's `writeHead` interception, as on plain node:http.
 * Taken when a span of this process is active (instrumentation-http's server span); a request without one
 * (the `tracer` option's own span) takes the Fetch path.
 */
export class NodeResponses implements NodeResponsePath {
  readonly #options: HonoServerTimingOptions | undefined;
  /** Made at the first Node response, so that other runtimes never install the interception. */
  #timing: AdapterServerTiming<Context> | undefined;
  /** Set when the interception could not be installed: every request then takes the Fetch path. */
  #unavailable = false;

  /** `options` must have been checked already (by the middleware's Fetch path). */
  constructor(options: HonoServerTimingOptions | undefined) {
    this.#options = options;
  }

  attach(c: Context, metrics: RequestMetrics): boolean {
    const bindings = c.env as NodeServerBindings | undefined;
    const response = bindings?.outgoing;
    if (!(response instanceof ServerResponse || response instanceof Http2ServerResponse)) return false;
    const target = FetchServerTiming.activeSpan();
    if (target === undefined) return false;
    const timing = this.#timing ?? this.#start();
    if (timing === undefined) return false;
    const request = (bindings?.incoming ?? response.req) as NodeRequest;
    try {
      new FirstByteAttach(timing, c, request, response, target, metrics).install();
      return true;
    } catch (error) {
      diag.error(`${OWNER}: could not attach Server-Timing to a Node response`, error);
      return false;
    }
  }

  #start(): AdapterServerTiming<Context> | undefined {
    if (this.#unavailable) return undefined;
    try {
      this.#timing = new AdapterServerTiming<Context>(this.#options, {
        owner: OWNER,
        moreOptions: ['tracer'],
      });
    } catch (error) {
      this.#unavailable = true;
      diag.error(`${OWNER}: Node responses unavailable; headers are written onto the Web Response`, error);
    }
    return this.#timing;
  }
}
