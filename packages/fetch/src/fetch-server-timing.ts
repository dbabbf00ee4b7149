import {
  type Context,
  context,
  diag,
  isSpanContextValid,
  type Span,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { type ServerTimingMetric, ServerTimingResponder } from '@otel-server-timing/core';
import { decorateResponse } from './decorate-response.js';
import { fetchExchange } from './fetch-exchange.js';
import { endServerSpan, startServerSpan } from './server-span.js';
import type { FetchServerTimingOptions } from './types.js';

const OWNER = '@otel-server-timing/fetch';

/** A span of this process that a request already runs in (not a remote parent, not the invalid span). */
function isLocalSpan(span: Span | undefined): span is Span {
  if (span === undefined) return false;
  const spanContext = span.spanContext();
  return !spanContext.isRemote && isSpanContextValid(spanContext);
}

/**
 * The active span when it is one of this process (an instrumentation's), else `undefined`: a remote parent
 * alone must not be written as if it were this server's span.
 */
function localActiveSpan(): Span | undefined {
  const span = trace.getActiveSpan();
  return isLocalSpan(span) ? span : undefined;
}

/**
 * Server-Timing for Web `Response`s: what {@link withServerTiming} and the Fetch-API framework adapters
 * (Hono) share. Checks the options once, decides whether to start a server span, and writes the headers
 * onto a response. Construct one per configuration.
 */
export class FetchServerTiming<TRequest> {
  readonly #owner: string;
  readonly #responder: ServerTimingResponder<TRequest>;
  readonly #tracer: Tracer | undefined;

  /**
   * Validates options (a `TypeError` saying what to fix).
   * @param owner names the adapter in messages, e.g. `'@otel-server-timing/hono'`.
   * @param moreOptions option names an adapter adds to {@link FetchServerTimingOptions}.
   */
  constructor(
    options: FetchServerTimingOptions<TRequest> | undefined,
    owner: string = OWNER,
    moreOptions: readonly string[] = [],
  ) {
    this.#owner = owner;
    this.#responder = new ServerTimingResponder<TRequest>(owner, options, ['tracer', ...moreOptions]);
    // The responder checked `tracer` against core's option schema.
    this.#tracer = options?.tracer;
  }

  /** The active span when it is one of this process (an instrumentation's), else `undefined`. */
  static activeSpan(): Span | undefined {
    return localActiveSpan();
  }

  /**
   * With a `tracer` and no span of this process active, starts a `SERVER` span for `request` and returns
   * the context to run the request in; otherwise `undefined` (the request runs as it is). Never throws.
   */
  begin(request: Request): Context | undefined {
    if (this.#tracer === undefined) return undefined;
    const active = context.active();
    if (isLocalSpan(trace.getSpan(active))) return undefined;
    try {
      return startServerSpan(this.#tracer, request, active);
    } catch (error) {
      diag.error(`${this.#owner}: could not start a server span`, error);
      return undefined;
    }
  }

  /**
   * Writes the timings of the request `target` (a span of it) onto `response`, if `exposureRequest` may see
   * them. Returns `response`, or a copy when its headers are immutable. Never throws.
   */
  decorate(
    response: Response,
    exposureRequest: TRequest,
    request: Request,
    target: Span | undefined,
    metrics: readonly ServerTimingMetric[] | undefined,
  ): Response {
    const exposure = this.#responder.exposure(exposureRequest);
    if (exposure === undefined) return response;
    try {
      // Not final, although a Web Response has no trailers: on Node the same response is written again
      // by a writer of the server's response (instrumentEveryServer, instrumentation-http's hook), whose
      // header adds what finishes after this one (e.g. Next's route handler span).
      const cached = this.#responder.cacheDecision(exposure, fetchExchange(request, response));
      if (cached === 'withhold') {
        // A shared cache may replay this response to others: none of this request's timings on it.
        this.#responder.withhold(target);
        return response;
      }
      const serverTiming = this.#responder.header(target, exposure, metrics, false, cached === 'timestamp');
      const exposeHeader = exposure.exposeHeader && request.headers.has('origin');
      return decorateResponse(response, serverTiming, exposure.timingAllowOrigin, exposeHeader, this.#owner);
    } catch (error) {
      diag.error(`${this.#owner}: could not write the Server-Timing header`, error);
      return response;
    }
  }

  /**
   * Ends a span that {@link begin} started: names it `<METHOD> <route>` when the route is known, records
   * the status code and any error, and marks it failed for a 5xx status or an error without a response.
   * Never throws.
   */
  end(
    span: Span,
    method: string,
    status: number | undefined,
    route: string | undefined,
    error: unknown,
  ): void {
    endServerSpan(span, method, status, route, error, this.#owner);
  }
}
