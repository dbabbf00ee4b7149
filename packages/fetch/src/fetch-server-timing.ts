import {
  type Context,
  context,
  diag,
  isSpanContextValid,
  type Span,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { ServerTimingHeaders, type ServerTimingMetric } from '@otel-server-timing/core';
import { decorateResponse } from './decorate-response.js';
import { fetchExchange } from './fetch-exchange.js';
import { endServerSpan, startServerSpan } from './server-span.js';
import type { FetchServerTimingOptions } from './types.js';

const OWNER = '@otel-server-timing/fetch';

/** What the server span of a request records when {@link FetchServerTiming.serve} ends it. */
export type RequestOutcome = {
  /** The response's status code, when there is a response. */
  status: number | undefined;
  /** The matched route (`/users/:id`), when the framework knows it. */
  route: string | undefined;
  /** An error the framework caught and turned into a response, if any. */
  error?: unknown;
};

/** A span of this process that a request already runs in (not a remote parent, not the invalid span). */
function isLocalSpan(span: Span | undefined): span is Span {
  if (span === undefined) return false;
  // A span that records was started in this process by the SDK, with ids it made valid or took from a
  // valid parent (a remote parent or the invalid span never records): checking its 48 hex digits again
  // costs about a thousand instructions a request, so only spans that do not record are checked.
  if (span.isRecording()) return true;
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
  readonly #responder: ServerTimingHeaders<TRequest>;
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
    this.#responder = new ServerTimingHeaders<TRequest>(owner, options, ['tracer', ...moreOptions]);
    // The responder checked `tracer` against core's option schema.
    this.#tracer = options?.tracer;
  }

  /**
   * Runs one request through `handle` and writes its timings, the flow every Fetch-API adapter shares:
   * with a `tracer` and no span of this process active, inside a `SERVER` span started for `request`
   * (ended afterwards, named by the route and status `outcome` gives); otherwise as it is, the active
   * span being the request's. `respond` writes the headers (usually with {@link decorate}) and returns
   * what `serve` returns. Errors of `handle` are rethrown after the span records them.
   */
  async serve<T>(
    request: Request,
    handle: () => Promise<T>,
    respond: (result: T, target: Span | undefined) => T,
    outcome: (result: T | undefined, error: unknown) => RequestOutcome,
  ): Promise<T> {
    const requestContext = this.begin(request);
    if (requestContext === undefined) {
      const target = localActiveSpan();
      return respond(await handle(), target);
    }
    const span = trace.getSpan(requestContext) as Span;
    let result: T;
    try {
      result = await context.with(requestContext, handle);
    } catch (error) {
      const { status, route } = outcome(undefined, error);
      endServerSpan(span, request.method, status, route, error, this.#owner);
      throw error;
    }
    const responded = respond(result, span);
    const { status, route, error } = outcome(result, undefined);
    endServerSpan(span, request.method, status, route, error, this.#owner);
    return responded;
  }

  /**
   * The active span when it is one of this process (an instrumentation's), else `undefined`. {@link serve}
   * finds it itself; an adapter reads it to choose a way of writing (Hono under `@hono/node-server` lets
   * Node write the header when there is one).
   */
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
      const cached = this.#responder.cacheDecision(exposure, fetchExchange(request, response));
      if (cached === 'withhold') {
        // A shared cache may replay this response to others: none of this request's timings on it.
        this.#responder.withhold(target);
        return response;
      }
      // A Web Response has no trailers, so this header is the last one, unless a writer of the server's
      // own response follows on Node (instrumentEveryServer under Next.js, instrumentation-http's hook
      // under @hono/node-server), whose header adds what finishes after this one.
      const kind = this.#responder.mayHaveLaterWriter(target) ? 'more may follow' : 'last';
      const serverTiming = this.#responder.header(target, exposure, metrics, kind, cached === 'timestamp');
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
   * @deprecated {@link serve} ends the span; this stays for adapters written against 0.1.
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
