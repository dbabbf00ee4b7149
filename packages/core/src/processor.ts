import { type Context, diag, type Span, SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { type Budget, fitToBudget, HeaderDraft } from './budget.js';
import { appendDownstream } from './downstream/downstream-metrics.js';
import { checkDownstreamOptions } from './downstream/options.js';
import { OutgoingCalls } from './downstream/outgoing-calls.js';
import { formatDuration, formatEntry, formatMetric } from './format.js';
import { claimHeader } from './header-claim.js';
import type { MetricGroup } from './metric-group.js';
import {
  assertKnownOptions,
  checkAggregation,
  checkBoolean,
  checkFunction,
  checkHeaderOptions,
  checkOptionsObject,
  HEADER_DEFAULTS,
} from './options.js';
import { isOwnWork } from './own-work.js';
import { RecordLink } from './record-link.js';
import { registerProcessor, unregisterProcessor } from './registry.js';
import { RequestRecord } from './request-record.js';
import { announceRequestRoot } from './request-roots.js';
import type { SpanRole } from './span-class.js';
import type { LayerTime, SpanLink } from './span-link.js';
import { classifySpan, defaultSpanDescription, safeMetricName } from './span-metric-name.js';
import { spanOf } from './span-of.js';
import { traceContextHeader } from './trace-context.js';
import type {
  Aggregation,
  HeaderOptions,
  RequestTarget,
  ServerTimingMetric,
  ServerTimingProcessorOptions,
  SpanMetricMapping,
} from './types.js';

const OWNER = 'ServerTimingSpanProcessor';
const KNOWN_OPTIONS = [
  'isRequestRoot',
  'mapSpan',
  'filter',
  'aggregation',
  'selfTime',
  'total',
  'descriptions',
  'traceContext',
  'maxBytes',
  'maxMetrics',
  'downstream',
] as const satisfies readonly (keyof ServerTimingProcessorOptions)[];

/** Per-call additions to {@link ServerTimingSpanProcessor.header}. */
export type HeaderRequest = HeaderOptions & {
  /** Metrics of the application's own for this response, written beside the span metrics. */
  metrics?: readonly ServerTimingMetric[];
  /**
   * No trailer follows this header (default `false`): the request's spans that finish after it are not
   * mapped or kept, since nothing could show them.
   */
  final?: boolean;
};

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
  readonly #total: boolean;
  readonly #header: Required<HeaderOptions>;
  readonly #outgoingCalls: OutgoingCalls | undefined;

  constructor(options?: ServerTimingProcessorOptions) {
    const given = checkOptionsObject(OWNER, options);
    assertKnownOptions(OWNER, given, KNOWN_OPTIONS);
    const header = checkHeaderOptions(OWNER, given);
    this.#isRequestRoot = checkFunction(OWNER, 'isRequestRoot', given.isRequestRoot) ?? isServerSpan;
    this.#mapSpan = checkFunction(OWNER, 'mapSpan', given.mapSpan);
    this.#filter = checkFunction(OWNER, 'filter', given.filter);
    this.#aggregation = checkAggregation(OWNER, given.aggregation) ?? 'union';
    this.#selfTime =
      (checkBoolean(OWNER, 'selfTime', given.selfTime) ?? true) && this.#aggregation === 'union';
    this.#total = checkBoolean(OWNER, 'total', given.total) ?? true;
    this.#header = {
      descriptions: header.descriptions ?? HEADER_DEFAULTS.descriptions,
      traceContext: header.traceContext ?? HEADER_DEFAULTS.traceContext,
      maxBytes: header.maxBytes ?? HEADER_DEFAULTS.maxBytes,
      maxMetrics: header.maxMetrics ?? HEADER_DEFAULTS.maxMetrics,
    };
    const downstream = checkDownstreamOptions(OWNER, given.downstream);
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
      if (this.#opensRequest(span)) {
        this.#records.set(span, new RequestRecord(span, performance.now()).links.open);
        announceRequestRoot(span);
      }
      return;
    }
    const parentSpan = trace.getSpan(parentContext);
    if (parentSpan === undefined) return;
    const parentLink = this.#records.get(parentSpan);
    if (parentLink === undefined || parentSpan.spanContext().spanId !== parent.spanId) return;
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
        this.#records.set(span, record.absorbed);
        return;
      case 'layer':
        this.#records.set(span, (link.self as LayerTime).links.open);
        return;
      default:
        this.#records.set(span, link.layer === undefined ? record.links.open : link.layer.links.open);
    }
  }

  onEnd(span: ReadableSpan): void {
    const link = this.#records.get(span);
    if (link === undefined) return;
    const record = link.record;
    if (record.root === (span as unknown)) {
      record.endedAt = performance.now();
      return;
    }
    // Beneath a database query or an outgoing call: part of that operation, already in its metric.
    if (record.closed || link.state === 'absorbed') return;
    try {
      if (this.#filter !== undefined && !this.#filter(span)) return;
      const mapped = this.#mapSpan === undefined ? undefined : this.#mapSpan(span);
      if (mapped === null) return;
      let name: string;
      let description: string | undefined = span.name;
      let role: SpanRole = 'span';
      if (mapped === undefined) {
        const spanClass = classifySpan(span);
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
      const group = record.add(name, description, start, end, this.#aggregation, role, this.#selfTime);
      const self = link.self;
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
  header(target: RequestTarget | undefined, request?: HeaderRequest): string {
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
   * What finished after the previous {@link header} call and the final `total`, for a `Server-Timing`
   * trailer. Carries no trace context (the header did). Never throws.
   */
  trailer(target: RequestTarget | undefined, request?: HeaderRequest): string {
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
    const links = link.layer === undefined ? link.record.links : link.layer.links;
    try {
      const role = classifySpan(span)?.role;
      if (role === 'operation') return links.operation;
      if (role === 'layer' && this.#selfTime) return link.record.newLayer(link.layer).link;
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

  #build(target: RequestTarget | undefined, request: HeaderRequest | undefined, isTrailer: boolean): string {
    const span = spanOf(target);
    const record = span === undefined ? undefined : this.#records.get(span)?.record;
    const descriptions = request?.descriptions ?? this.#header.descriptions;
    const maxBytes = request?.maxBytes ?? this.#header.maxBytes;
    const maxMetrics = request?.maxMetrics ?? this.#header.maxMetrics;
    const aggregation = this.#aggregation;
    const groups = record === undefined ? undefined : record.takeGroups();
    if (this.#selfTime && groups !== undefined && groups.length > 0) record?.settleLayers();
    const downstream = record?.downstream?.take();
    if (record !== undefined && (isTrailer || request?.final === true)) record.close();
    const extra = request?.metrics;

    // Built in one pass, which is all it takes when everything fits the budget (the common case).
    let metrics = '';
    let count = 0;
    if (groups !== undefined) {
      for (let index = 0; index < groups.length; index++) {
        const group = groups[index] as MetricGroup;
        const entry = formatEntry(group.name, group.duration(aggregation), group.description(), descriptions);
        metrics = count++ === 0 ? entry : `${metrics}, ${entry}`;
      }
    }
    if (extra !== undefined) {
      for (const metric of extra) {
        const entry = formatMetric(metric, descriptions);
        metrics = count++ === 0 ? entry : `${metrics}, ${entry}`;
      }
    }
    // A header carries `total` and the trace context once per request; the trailer its final `total`.
    const firstHeader = !isTrailer && this.#claimHeader(record, span);
    let required = '';
    if (record !== undefined && this.#total && (isTrailer || firstHeader)) {
      required = `total;dur=${formatDuration(record.elapsed(performance.now()))}`;
    }
    if (firstHeader) {
      const spanContext = (record?.root ?? span)?.spanContext();
      const traceContext = traceContextHeader(
        spanContext,
        request?.traceContext ?? this.#header.traceContext,
      );
      if (traceContext !== '') required = required === '' ? traceContext : `${required}, ${traceContext}`;
    }
    const header = metrics === '' ? required : required === '' ? metrics : `${metrics}, ${required}`;
    const fits = count <= maxMetrics && header.length <= maxBytes;
    if (fits && (downstream === undefined || downstream.length === 0)) return header;
    const budget: Budget = { maxBytes, maxMetrics, aggregation, descriptions };
    const own = fits ? header : this.#fit(groups, extra, required, budget);
    // What downstreams said gets only the room the request's own metrics leave.
    if (downstream === undefined || downstream.length === 0) return own;
    return appendDownstream(own, Math.min(count, maxMetrics), downstream, budget);
  }

  /** The request's own metrics over budget: the longest kept, the rest folded into `other`. */

  #fit(
    groups: readonly MetricGroup[] | undefined,
    extra: readonly ServerTimingMetric[] | undefined,
    required: string,
    budget: Budget,
  ): string {
    const { aggregation, descriptions } = budget;
    const draft = new HeaderDraft();
    if (groups !== undefined) {
      for (const group of groups) {
        const duration = group.duration(aggregation);
        const entry = formatEntry(group.name, duration, group.description(), descriptions);
        draft.add(entry, duration, aggregation === 'union' ? group.intervals() : undefined);
      }
    }
    if (extra !== undefined) {
      for (const metric of extra) {
        const duration = typeof metric.duration === 'number' ? metric.duration : 0;
        draft.add(formatMetric(metric, descriptions), duration, undefined);
      }
    }
    return fitToBudget(draft, required === '' ? [] : [required], budget);
  }
}
