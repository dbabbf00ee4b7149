import { createExposurePolicy, type ExposureOptions, type RequestExposure } from './exposure.js';
import { buildHeader } from './header/build-header.js';
import { formatServerTiming } from './header/format.js';
import { claimHeader } from './header-claim.js';
import { NO_GROUPS } from './metric-group.js';
import { ADAPTER_OPTIONS } from './option-schema.js';
import { checkOptions, HEADER_DEFAULTS } from './options.js';
import type { HeaderCallOptions, ServerTimingSpanProcessor } from './processor.js';
import { getServerTimingProcessor } from './registry.js';
import { type CacheableExchange, sharedCacheMayReplay } from './shared-cache.js';
import { spanOf } from './span-of.js';
import type { HeaderOptions, RequestTarget, ServerTimingMetric } from './types.js';

/**
 * Whether a header is the last word on its request's timings: `'last'` when no trailer and no later
 * writer follow it, `'more may follow'` otherwise. (Replaces a boolean `final` argument, still accepted.)
 */
export type HeaderKind = 'last' | 'more may follow';

/** Options every framework adapter accepts. */
export type ServerTimingOptions<TRequest> = ExposureOptions<TRequest> &
  Omit<HeaderOptions, 'descriptions'> & {
    /** The processor to read timings from. Default: the most recently constructed one. */
    processor?: ServerTimingSpanProcessor;
  };

/** A header request that writes nothing: no metrics, no trace context; it still claims the header. */
const WITHHELD: HeaderCallOptions = Object.freeze({ traceOnly: true, traceContext: 'none', final: true });

/**
 * The `Server-Timing` header values of one adapter configuration, the part every adapter shares: checks
 * the options once, decides per request what may be shown, and builds header and trailer values. Adapters
 * only read and write their framework's headers.
 */
export class ServerTimingHeaders<TRequest> {
  readonly #decide: (request: TRequest) => RequestExposure | undefined;
  readonly #header: HeaderOptions;
  readonly #processor: ServerTimingSpanProcessor | undefined;
  /** The options of a header without per-request descriptions or metrics: the same for every response. */
  readonly #plainRequest: HeaderCallOptions;
  readonly #plainFinalRequest: HeaderCallOptions;

  /**
   * @param owner names the adapter in error messages, e.g. `'@otel-server-timing/express'`.
   * @param moreOptions option names the adapter adds to {@link ServerTimingOptions}; `trailers` and
   *   `tracer` are checked here, others (a framework's own) only allowed.
   */
  constructor(
    owner: string,
    options: ServerTimingOptions<TRequest> | undefined,
    moreOptions: readonly string[] = [],
  ) {
    const given = checkOptions(owner, options, ADAPTER_OPTIONS, moreOptions);
    this.#processor = given.processor;
    this.#header = {
      traceContext: given.traceContext,
      maxBytes: given.maxBytes,
      maxMetrics: given.maxMetrics,
    };
    this.#decide = createExposurePolicy(owner, given);
    this.#plainRequest = Object.freeze(this.#newRequest(undefined, undefined, false, false, false));
    this.#plainFinalRequest = Object.freeze(this.#newRequest(undefined, undefined, true, false, false));
  }

  /** What this request may show, or `undefined` when it gets no timings. Never throws. */
  exposure(request: TRequest): RequestExposure | undefined {
    return this.#decide(request);
  }

  /**
   * What to do with a response a shared cache may replay (judged from `exchange`, the headers as they are
   * when its first byte goes out): `'withhold'` (write nothing; the request is skipped), `'timestamp'`
   * (write it with a timestamp beside the trace context), or `undefined` for a response only its client
   * sees. Never throws.
   */
  cacheDecision(
    exposure: RequestExposure,
    exchange: CacheableExchange,
  ): 'withhold' | 'timestamp' | undefined {
    const handling = exposure.sharedCache;
    if (!sharedCacheMayReplay(exchange, handling === 'strip-heuristic' ? 'any' : 'last-modified')) {
      return undefined;
    }
    return handling === 'keep' ? 'timestamp' : 'withhold';
  }

  /**
   * The `Server-Timing` value for the response of the request `target` belongs to. `kind`: `'last'` when
   * nothing follows it (no trailer, no later writer), so the request's spans that finish afterwards need
   * not be recorded; `'more may follow'` otherwise. `timestamp`: write the server's clock beside the
   * trace context (see {@link cacheDecision}). Never throws.
   */
  header(
    target: RequestTarget | undefined,
    exposure: RequestExposure,
    metrics?: readonly ServerTimingMetric[],
    kind: HeaderKind | boolean = 'more may follow',
    timestamp = false,
  ): string {
    const processor = this.#processor ?? getServerTimingProcessor();
    const request = this.#request(exposure, metrics, kind === 'last' || kind === true, timestamp);
    if (processor !== undefined) return processor.header(target, request);
    return this.#withoutProcessor(target, request);
  }

  /**
   * Tells the processor that the request `target` belongs to gets no timings (disabled, or skipped by
   * its route), so it stops recording the request's spans. Never throws.
   */
  skip(target: RequestTarget | undefined): void {
    const processor = this.#processor ?? getServerTimingProcessor();
    // The registry may hold a processor from an older copy of this package, which has no `skip`.
    if (typeof processor?.skip === 'function') processor.skip(target);
  }

  /**
   * Notes that the request `target` belongs to gets its last header from a writer that comes later (a
   * Node response writer), so Fetch-API writers before it must not end its recording. Never throws.
   */
  expectLaterWriter(target: RequestTarget | undefined): void {
    const processor = this.#processor ?? getServerTimingProcessor();
    if (typeof processor?.expectLaterWriter === 'function') processor.expectLaterWriter(target);
  }

  /**
   * `true` when a later writer was announced for the request `target` belongs to, or when the processor
   * (an older copy of this package) cannot tell. Never throws.
   */
  mayHaveLaterWriter(target: RequestTarget | undefined): boolean {
    const processor = this.#processor ?? getServerTimingProcessor();
    if (processor === undefined) return false;
    return typeof processor.hasLaterWriter !== 'function' || processor.hasLaterWriter(target);
  }

  /**
   * Gives the response of the request `target` belongs to nothing (see {@link cacheDecision}), and makes
   * sure no other writer of the same response adds its `total` or trace context afterwards: the header is
   * claimed, empty, and the request's recording stops. Never throws.
   */
  withhold(target: RequestTarget | undefined): void {
    try {
      const processor = this.#processor ?? getServerTimingProcessor();
      if (processor !== undefined) processor.header(target, WITHHELD);
      else {
        const span = spanOf(target);
        if (span !== undefined) claimHeader(span);
      }
    } catch {
      // Nothing was written either way.
    }
  }

  /** The `Server-Timing` trailer value: what finished after the header. Never throws. */
  trailer(
    target: RequestTarget | undefined,
    exposure: RequestExposure,
    metrics?: readonly ServerTimingMetric[],
  ): string {
    const processor = this.#processor ?? getServerTimingProcessor();
    if (exposure.level === 'trace') return '';
    if (processor === undefined) return formatServerTiming(metrics, { descriptions: exposure.descriptions });
    return processor.trailer(target, this.#request(exposure, metrics, true, false));
  }

  /** The options of one header; the shared one unless the response has descriptions or metrics of its own. */
  #request(
    exposure: RequestExposure,
    metrics: readonly ServerTimingMetric[] | undefined,
    final: boolean,
    timestamp: boolean,
  ): HeaderCallOptions {
    if (
      exposure.level === 'full' &&
      exposure.descriptions === undefined &&
      metrics === undefined &&
      !timestamp
    ) {
      return final ? this.#plainFinalRequest : this.#plainRequest;
    }
    return this.#newRequest(exposure.descriptions, metrics, final, exposure.level === 'trace', timestamp);
  }

  /**
   * Written out rather than spread: on Node 20 (V8 11.3) an object spread followed by a new key,
   * `{ ...options, metrics }`, takes about 1.7 µs.
   */
  #newRequest(
    descriptions: boolean | undefined,
    metrics: readonly ServerTimingMetric[] | undefined,
    final: boolean,
    traceOnly: boolean,
    timestamp: boolean,
  ): HeaderCallOptions {
    const header = this.#header;
    return {
      traceContext: header.traceContext,
      maxBytes: header.maxBytes,
      maxMetrics: header.maxMetrics,
      descriptions,
      metrics,
      final,
      traceOnly,
      timestamp,
    };
  }

  /** No processor registered: the trace context of the active span and the application's own metrics. */
  #withoutProcessor(target: RequestTarget | undefined, request: HeaderCallOptions): string {
    try {
      const span = spanOf(target);
      return buildHeader({
        groups: NO_GROUPS,
        aggregation: 'sum',
        metrics: request.traceOnly ? undefined : request.metrics,
        total: undefined,
        // One trace context per response, however many writers see it.
        traceContext: span !== undefined && claimHeader(span) ? span.spanContext() : undefined,
        traceContextForm: request.traceContext ?? HEADER_DEFAULTS.traceContext,
        timestamp: request.timestamp ? Date.now() : undefined,
        descriptions: request.descriptions ?? HEADER_DEFAULTS.descriptions,
        maxBytes: request.maxBytes ?? HEADER_DEFAULTS.maxBytes,
        maxMetrics: request.maxMetrics ?? HEADER_DEFAULTS.maxMetrics,
      });
    } catch {
      return '';
    }
  }
}

/**
 * The former name of {@link ServerTimingHeaders}.
 * @deprecated It builds header values and writes no response: use `ServerTimingHeaders`, the same class.
 */
export const ServerTimingResponder = ServerTimingHeaders;
/** @deprecated Use `ServerTimingHeaders`. */
export type ServerTimingResponder<TRequest> = ServerTimingHeaders<TRequest>;
