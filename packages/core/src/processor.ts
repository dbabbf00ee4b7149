import { type Context, diag, type Span, SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { checkDownstreamOptions } from './downstream/options.js';
import { OutgoingCalls } from './downstream/outgoing-calls.js';
import { buildHeader } from './header/build-header.js';
import { claimHeader } from './header-claim.js';
import { expectLaterWriter, hasLaterWriter } from './later-writer.js';
import { NO_GROUPS } from './metric-group.js';
import { PROCESSOR_OPTIONS } from './option-schema.js';
import { checkOptions, HEADER_DEFAULTS } from './options.js';
import { isOwnWork } from './own-work.js';
import { RecordLink } from './record-link.js';
import { registerProcessor, unregisterProcessor } from './registry.js';
import { type RecordSettings, RequestRecord } from './request-record.js';
import { announceRequestRoot } from './request-roots.js';
import type { SpanRole } from './span-class.js';
import type { LayerTime, SpanLink } from './span-link.js';
import { classifySpan, defaultSpanDescription, safeMetricName } from './span-metric-name.js';
import { spanOf } from './span-of.js';
import type {
  Aggregation,
  HeaderOptions,
  RequestTarget,
  ServerTimingMetric,
  ServerTimingProcessorOptions,
  SpanMetricMapping,
} from './types.js';

const OWNER = 'ServerTimingSpanProcessor';
/** Per-call additions to {@link ServerTimingSpanProcessor.header}. */
export type HeaderCallOptions = HeaderOptions & {
  /** Metrics of the application's own for this response, written beside the span metrics. */
  metrics?: readonly ServerTimingMetric[];
  /**
   * No trailer follows this header (default `false`): the request's spans that finish after it are not
   * mapped or kept, since nothing could show them.
   */
  final?: boolean;
  /** Write the trace context only: no metrics, no `total` (the privacy level `'trace'`). Default `false`. */
  traceOnly?: boolean;
  /**
   * Write a `timestamp` metric (the server's clock, epoch milliseconds, as description) beside the trace
   * context, by which a browser recognises a copy a shared cache replayed. Default `false`.
   */
  timestamp?: boolean;
};

/**
 * The former name of {@link HeaderCallOptions}.
 * @deprecated It holds header options, not a request: use `HeaderCallOptions`, the same type.
 */
export type HeaderRequest = HeaderCallOptions;

function isServerSpan(span: ReadableSpan): boolean {
  return span.kind === SpanKind.SERVER;
}

function hrTimeToMilliseconds(time: readonly [number, number]): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

/**
 * An OpenTelemetry `SpanProcessor` that groups the spans of each request under its root server span
 * and builds that request's `Server-Timing` header on demand.
 *
 * Register it like any processor (`new NodeTracerProvider({ spanProcessors: [processor] })`); the
 * framework adapters find it on their own. Spans that do not belong to a request cost one property
 * look-up; nothing is kept after a request's spans are gone.
 */
export class ServerTimingSpanProcessor implements SpanProcessor {
  readonly #records = new RecordLink();
  readonly #isRequestRoot: (span: ReadableSpan) => boolean;
  readonly #mapSpan: ((span: ReadableSpan) => SpanMetricMapping) | undefined;
  readonly #filter: ((span: ReadableSpan) => boolean) | undefined;
  readonly #aggregation: Aggregation;
  readonly #selfTime: boolean;
  /** What every request record of this processor records by. */
  readonly #recording: RecordSettings;
  readonly #total: boolean;
  readonly #header: Required<HeaderOptions>;
  readonly #outgoingCalls: OutgoingCalls | undefined;

  constructor(options?: ServerTimingProcessorOptions) {
    const given = checkOptions(OWNER, options, PROCESSOR_OPTIONS);
    this.#isRequestRoot = given.isRequestRoot ?? isServerSpan;
    this.#mapSpan = given.mapSpan;
    this.#filter = given.filter;
    this.#aggregation = given.aggregation ?? PROCESSOR_OPTIONS.aggregation.default;
    this.#selfTime = (given.selfTime ?? PROCESSOR_OPTIONS.selfTime.default) && this.#aggregation === 'union';
    this.#recording = { aggregation: this.#aggregation, selfTime: this.#selfTime };
    this.#total = given.total ?? PROCESSOR_OPTIONS.total.default;
    this.#header = {
      descriptions: given.descriptions ?? HEADER_DEFAULTS.descriptions,
      traceContext: given.traceContext ?? HEADER_DEFAULTS.traceContext,
      maxBytes: given.maxBytes ?? HEADER_DEFAULTS.maxBytes,
      maxMetrics: given.maxMetrics ?? HEADER_DEFAULTS.maxMetrics,
    };
    const downstream = checkDownstreamOptions(
      OWNER,
      given.downstream,
      given.downstreamMaxDepth ?? PROCESSOR_OPTIONS.downstreamMaxDepth.default,
    );
    if (downstream !== undefined) {
      const recordOf = (span: Span) => this.#records.get(span)?.record;
      this.#outgoingCalls = new OutgoingCalls(
        downstream,
        recordOf,
        this.#aggregation,
        this.#header.maxMetrics,
      );
    }
    registerProcessor(this);
  }

  onStart(span: Span & ReadableSpan, parentContext: Context): void {
    const parent = span.parentSpanContext;
    if (parent === undefined || parent.isRemote) {
      const opens = this.#opensRequest(span);
      this.#records.set(
        span,
        opens ? new RequestRecord(span, performance.now(), this.#recording).open : undefined,
      );
      if (opens) announceRequestRoot(span);
      return;
    }
    // One write of the link for every child span, whatever it is: a smaller `onStart`, which V8 inlines
    // into the SDK's span constructor along with `trace.getSpan`.
    this.#records.set(span, this.#childLink(parent.spanId, parentContext));
  }

  /** The link of a span started under `parentContext`, whose parent's id is `parentId`. */
  #childLink(parentId: string, parentContext: Context): SpanLink | undefined {
    const parentSpan = trace.getSpan(parentContext);
    if (parentSpan === undefined) return undefined;
    const parentLink = this.#records.get(parentSpan);
    if (parentLink === undefined || parentSpan.spanContext().spanId !== parentId) return undefined;
    const record = parentLink.record;
    let link = parentLink;
    if (link.state === 'open' && parentSpan !== record.root) {
      // The parent's class, from what it says of itself now, the first time a child starts under it.
      link = this.#classifyParent(parentSpan as unknown as ReadableSpan, link);
      this.#records.set(parentSpan, link);
    }
    switch (link.state) {
      case 'operation':
      case 'absorbed':
        return record.absorbed;
      case 'layer':
        return (link.self as LayerTime).open;
      default:
        return link.layer === undefined ? record.open : link.layer.open;
    }
  }

  onEnd(span: ReadableSpan): void {
    const link = this.#records.get(span);
    if (link === undefined) return;
    const record = link.record;
    if (record.root === (span as unknown)) {
      // The SDK's own measure of the root, rather than a clock read of ours.
      record.endedAt = record.startedAt + hrTimeToMilliseconds(span.duration);
      return;
    }
    // Beneath a database query or an outgoing call: part of that operation, already in its metric.
    if (record.closed || link.state === 'absorbed') return;
    const self = link.self;
    if (self !== undefined) self.ended = true;
    try {
      if (this.#filter !== undefined && !this.#filter(span)) return;
      const mapped = this.#mapSpan === undefined ? undefined : this.#mapSpan(span);
      if (mapped === null) return;
      let name: string;
      let description: string | undefined = span.name;
      let role: SpanRole = 'span';
      if (mapped === undefined) {
        // A layer was classified when its first child started; its type attributes do not change.
        const spanClass = self?.spanClass ?? classifySpan(span);
        if (spanClass === null) return;
        name = spanClass.name;
        role = spanClass.role;
        description = defaultSpanDescription(span, name);
      } else if (typeof mapped === 'string') {
        name = safeMetricName(mapped);
      } else {
        name = safeMetricName(String(mapped.name));
        description = mapped.description;
      }
      const start = hrTimeToMilliseconds(span.startTime);
      const end = start + hrTimeToMilliseconds(span.duration);
      if (link.layer !== undefined) link.layer.covered += end - start;
      // The span a framework instrumentation made of an adapter's own middleware (a layer, unless a user
      // mapping named it): no metric, and (above) not the time of the layer around it either.
      if ((role === 'layer' || mapped !== undefined) && isOwnWork(span)) return;
      const group = record.add(name, description, start, end, role);
      if (self !== undefined) {
        self.duration = end - start;
        self.group = group;
      }
    } catch (error) {
      diag.error(`${OWNER}: a mapSpan or filter hook threw; span "${span.name}" left out`, error);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    unregisterProcessor(this);
    this.#outgoingCalls?.stop();
    return Promise.resolve();
  }

  /**
   * The `Server-Timing` value for the request that `target` (the active context, or any span of the
   * request) belongs to, as of now: the spans finished since the previous call for that request (all of
   * them, the first time), `total` (the root's elapsed time), the trace context and the given metrics,
   * within the byte budget. A request the processor holds no record for (not sampled, or not a request
   * root) still gets its trace context. Returns `''` when there is nothing to say. Never throws.
   *
   * One header per response, whatever the number of writers: `total` and the trace context are handed
   * out once per request. Later calls for the same request (another writer of the same response) return
   * only what finished since and the metrics they are given.
   */
  header(target: RequestTarget | undefined, request?: HeaderCallOptions): string {
    try {
      return this.#build(target, request, false);
    } catch (error) {
      diag.error(`${OWNER}: could not build a Server-Timing header`, error);
      return '';
    }
  }

  /**
   * Stops recording the request that `target` (the active context, or any span of the request) belongs
   * to, because it will get no `Server-Timing` (its adapter decided so): its spans that finish from now on
   * are neither mapped nor kept. Never throws.
   */
  skip(target: RequestTarget | undefined): void {
    try {
      const span = spanOf(target);
      const link = span === undefined ? undefined : this.#records.get(span);
      if (link === undefined) return;
      link.record.close();
    } catch (error) {
      diag.error(`${OWNER}: could not stop recording a request`, error);
    }
  }

  /**
   * Notes that the request `target` belongs to will get its last header or trailer from a writer that
   * comes after any Fetch-API writer (a Node response writer, which writes at `writeHead`): the headers
   * those build are then not the last, so the request stays recorded for the later one. Never throws.
   */
  expectLaterWriter(target: RequestTarget | undefined): void {
    try {
      const root = this.#rootOf(target);
      if (root !== undefined) expectLaterWriter(root);
    } catch (error) {
      diag.error(`${OWNER}: could not note a later writer`, error);
    }
  }

  /** `true` when {@link expectLaterWriter} was called for the request `target` belongs to. Never throws. */
  hasLaterWriter(target: RequestTarget | undefined): boolean {
    try {
      const root = this.#rootOf(target);
      return root !== undefined && hasLaterWriter(root);
    } catch {
      return false;
    }
  }

  /** The root span of the request `target` belongs to, or, without a record, `target`'s span. */
  #rootOf(target: RequestTarget | undefined): Span | undefined {
    const span = spanOf(target);
    return span === undefined ? undefined : (this.#records.get(span)?.record.root ?? span);
  }

  /**
   * What finished after the previous {@link header} call and the final `total`, for a `Server-Timing`
   * trailer. Carries no trace context (the header did). Never throws.
   */
  trailer(target: RequestTarget | undefined, request?: HeaderCallOptions): string {
    try {
      return this.#build(target, request, true);
    } catch (error) {
      diag.error(`${OWNER}: could not build a Server-Timing trailer`, error);
      return '';
    }
  }

  /**
   * The link of a span that a child starts under, from its class under the default mapping: a call out of
   * the process (what starts beneath it is part of it), a framework layer (it keeps the time of the
   * metrics beneath it, when own time is reported), or a container.
   */
  #classifyParent(span: ReadableSpan, link: SpanLink): SpanLink {
    const links = link.layer ?? link.record;
    try {
      const spanClass = classifySpan(span);
      if (spanClass?.role === 'operation') return links.operation;
      if (spanClass?.role === 'layer' && this.#selfTime)
        return link.record.newLayer(link.layer, spanClass).link;
    } catch (error) {
      diag.error(`${OWNER}: could not classify span "${span.name}"`, error);
    }
    return links.container;
  }

  #opensRequest(span: ReadableSpan): boolean {
    try {
      return this.#isRequestRoot(span);
    } catch (error) {
      diag.error(`${OWNER}: the isRequestRoot hook threw; span "${span.name}" opens no request`, error);
      return false;
    }
  }

  /** `true` for the first header of the request that `record` (or, without one, `span`) stands for. */
  #claimHeader(record: RequestRecord | undefined, span: Span | undefined): boolean {
    if (record === undefined) return span === undefined || claimHeader(span);
    if (record.headerHandedOut) return false;
    record.headerHandedOut = true;
    return true;
  }

  #build(
    target: RequestTarget | undefined,
    request: HeaderCallOptions | undefined,
    isTrailer: boolean,
  ): string {
    const span = spanOf(target);
    const record = span === undefined ? undefined : this.#records.get(span)?.record;
    const traceOnly = request?.traceOnly === true;
    const groups = record === undefined || traceOnly ? NO_GROUPS : record.takeGroups();
    if (this.#selfTime && groups.length > 0) record?.settleLayers();
    // Folded downstream entries are metrics too: none in a trace-only header.
    const downstream = traceOnly ? undefined : record?.downstream?.take();
    if (record !== undefined && (isTrailer || traceOnly || request?.final === true)) record.close();
    // A header carries `total` and the trace context once per request; the trailer its final `total`.
    const firstHeader = !isTrailer && this.#claimHeader(record, span);
    return buildHeader({
      groups,
      aggregation: this.#aggregation,
      metrics: traceOnly ? undefined : request?.metrics,
      total:
        record !== undefined && this.#total && !traceOnly && (isTrailer || firstHeader)
          ? record.elapsed(performance.now())
          : undefined,
      traceContext: firstHeader ? (record?.root ?? span)?.spanContext() : undefined,
      traceContextForm: request?.traceContext ?? this.#header.traceContext,
      timestamp: request?.timestamp === true ? Date.now() : undefined,
      descriptions: request?.descriptions ?? this.#header.descriptions,
      maxBytes: request?.maxBytes ?? this.#header.maxBytes,
      maxMetrics: request?.maxMetrics ?? this.#header.maxMetrics,
      downstream,
    });
  }
}
