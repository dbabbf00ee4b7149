import { context, diag, trace } from '@opentelemetry/api';
import {
  ADAPTER_EXTRA_OPTIONS,
  type RequestTarget,
  ServerTimingHeaders,
  type ServerTimingOptions,
} from '@otel-server-timing/core';
import { AUTOMATIC, headersSent, interceptResponses, setTimingOf, timingOf } from './interception.js';
import { type ResponseSettings, ResponseTiming } from './response-timing.js';
import type { NodeRequest, NodeResponse, NodeServerTimingOptions, ResponseServerTiming } from './types.js';

/** Options of an adapter's {@link AdapterServerTiming}: the per-request functions take its own request. */
export type AdapterServerTimingOptions<TRequest> = ServerTimingOptions<TRequest> &
  Pick<NodeServerTimingOptions, 'trailers'>;

/** Who is attaching, for messages and option checks. */
export type AdapterIdentity = {
  /** Names the adapter in messages, e.g. `'@otel-server-timing/express'`. */
  owner: string;
  /** Option names the adapter accepts besides {@link AdapterServerTimingOptions}'s. */
  moreOptions?: readonly string[];
  /**
   * An automatic hook (instrumentation-http's `responseHook`, `instrumentServer`): what it attaches gives
   * way to an explicit `attach` by an adapter, whose options then apply.
   */
  automatic?: boolean;
};

/**
 * The target of a response attached without one: the span active now, which is what the context active
 * now points at for good (a context never changes), so the processor need not look it up in the context
 * again on each call; the context itself when no span is active.
 */
function activeTarget(): RequestTarget {
  const active = context.active();
  return trace.getSpan(active) ?? active;
}

/**
 * What `NodeServerTiming` and the framework adapters share: validated options, and `attach` with the
 * framework's own request, which the per-request options (`enabled`, `crossOrigin`, `descriptions`)
 * receive. For adapters only (`@otel-server-timing/node/internal`).
 */
export class AdapterServerTiming<TRequest> {
  /** What every response shares; its `responder` is this adapter's, typed for the framework's request. */
  readonly #settings: ResponseSettings & { readonly responder: ServerTimingHeaders<TRequest> };

  /** Validates options (a `TypeError` naming the adapter and saying what to fix). */
  constructor(options: AdapterServerTimingOptions<TRequest> | undefined, identity: AdapterIdentity) {
    const { owner, moreOptions = [], automatic = false } = identity;
    const responder = new ServerTimingHeaders<TRequest>(owner, options, ['trailers', ...moreOptions]);
    // The responder checked `trailers` against core's option schema.
    this.#settings = {
      owner,
      responder,
      trailers: options?.trailers ?? ADAPTER_EXTRA_OPTIONS.trailers.default,
      automatic,
    };
    interceptResponses(this.#settings.trailers);
  }

  /**
   * Arranges for `response` to carry the header when its first byte goes out. `frameworkRequest` is what
   * the per-request options receive; `request` is Node's. `target` is the request's Context or any Span
   * of the request (default: `context.active()` now). Returns the handle, or `undefined` when timings are
   * disabled for this request (`enabled`) or the headers are already sent. Attaching the same response
   * twice returns the first handle, except that an explicit attach replaces one made by an automatic
   * hook before anything was added to it. Announces this response as the request's later writer (see
   * {@link expectLaterWriter}) unless `laterWriterAnnounced` says the caller did. Never throws.
   */
  attach(
    frameworkRequest: TRequest,
    request: NodeRequest,
    response: NodeResponse,
    target?: RequestTarget,
    laterWriterAnnounced = false,
  ): ResponseServerTiming | undefined {
    try {
      const settings = this.#settings;
      const attached = timingOf(response);
      if (attached !== undefined && (settings.automatic || !attached[AUTOMATIC])) {
        return attached as ResponseTiming;
      }
      if (headersSent(response)) return undefined;
      const exposure = settings.responder.exposure(frameworkRequest);
      if (exposure === undefined) {
        if (attached !== undefined) setTimingOf(response, undefined);
        settings.responder.skip(target ?? context.active());
        return undefined;
      }
      const corsRequest = exposure.exposeHeader && request.headers.origin !== undefined;
      const requestTarget = target ?? activeTarget();
      // A Fetch-API writer of the same request (Next.js, Hono on @hono/node-server) writes before this one.
      if (!laterWriterAnnounced) settings.responder.expectLaterWriter(requestTarget);
      const timing = new ResponseTiming(settings, requestTarget, exposure, corsRequest);
      setTimingOf(response, timing);
      return timing;
    } catch (error) {
      diag.error(`${this.#settings.owner}: could not attach Server-Timing to a response`, error);
      return undefined;
    }
  }

  /**
   * Notes that the request `target` belongs to will get its header from a response this attached, after
   * any Fetch-API writer of the same request, for a target not known at `attach` (a root span started
   * later in the request's flow). Never throws.
   */
  expectLaterWriter(target: RequestTarget): void {
    this.#settings.responder.expectLaterWriter(target);
  }
}
