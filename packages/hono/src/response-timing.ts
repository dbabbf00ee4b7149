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
import { startServerSpan } from './server-span.js';
import type { FetchServerTimingOptions } from './types.js';

function checkTracer(owner: string, tracer: unknown): Tracer | undefined {
  if (tracer === undefined) return undefined;
  if (tracer !== null && typeof (tracer as Tracer).startSpan === 'function') return tracer as Tracer;
  throw new TypeError(
    `${owner}: option \`tracer\` must be an OpenTelemetry Tracer, e.g. trace.getTracer('my-service'); got ${String(tracer)}.`,
  );
}

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
export function localActiveSpan(): Span | undefined {
  const span = trace.getActiveSpan();
  return isLocalSpan(span) ? span : undefined;
}

/**
 * What the Hono middleware and the `(Request) => Response` wrapper share: the checked options, the
 * decision to start a server span, and writing the headers onto a Web `Response`.
 */
export class ResponseTiming<TRequest> {
  readonly #responder: ServerTimingResponder<TRequest>;
  readonly #tracer: Tracer | undefined;

  constructor(owner: string, options: FetchServerTimingOptions<TRequest> | undefined) {
    this.#responder = new ServerTimingResponder<TRequest>(owner, options, ['tracer']);
    this.#tracer = checkTracer(owner, options?.tracer);
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
      diag.error('@otel-server-timing/hono: could not start a server span', error);
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
      // Final: a Fetch response has no trailers, so nothing that finishes later can be shown.
      const serverTiming = this.#responder.header(target, exposure, metrics, true);
      const exposeHeader = exposure.exposeHeader && request.headers.has('origin');
      return decorateResponse(response, serverTiming, exposure.timingAllowOrigin, exposeHeader);
    } catch (error) {
      diag.error('@otel-server-timing/hono: could not write the Server-Timing header', error);
      return response;
    }
  }
}
