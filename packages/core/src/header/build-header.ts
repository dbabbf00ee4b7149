import type { SpanContext } from '@opentelemetry/api';
import type { MetricGroup } from '../metric-group.js';
import type { Aggregation, ServerTimingMetric, TraceContextForm } from '../types.js';
import { appendDownstream } from './downstream-entries.js';
import { foldToBudget } from './fold.js';
import { formatDuration, formatEntry, formatMetric } from './format.js';
import { traceContextEntries } from './trace-context.js';

/**
 * Everything one `Server-Timing` value is built from, given explicitly: the builder decides nothing about
 * requests, writers or options, it only writes what it is handed within the budget.
 */
export type HeaderParts = {
  /** The request's span metrics to write, in header order (finished since its previous header). */
  groups: readonly MetricGroup[];
  /** How the spans of a group combine into its duration, and folded metrics into `other`. */
  aggregation: Aggregation;
  /**
   * Metrics from elsewhere, written after the span metrics: the application's own, or entries taken from
   * downstream responses. They count against `maxMetrics` and `maxBytes`, and fold into `other`, exactly
   * like span metrics.
   */
  metrics: readonly ServerTimingMetric[] | undefined;
  /** Duration (ms) of the `total` metric, or `undefined` to write none. */
  total: number | undefined;
  /** The request's trace context, or `undefined` to write none (another writer did, or it may not be shown). */
  traceContext: SpanContext | undefined;
  traceContextForm: TraceContextForm;
  /**
   * The server's clock (epoch ms) to write as `timestamp;desc=<ms>` after the trace context, so a browser
   * can tell a copy a shared cache replayed; `undefined` (or no trace context written) for none.
   */
  timestamp?: number | undefined;
  /** Write `desc` parameters. */
  descriptions: boolean;
  /** Byte budget of the whole value. */
  maxBytes: number;
  /** Most metrics written, not counting `total`, `other` and trace context. */
  maxMetrics: number;
  /**
   * Metrics folded from downstream services' `Server-Timing` (named with their prefix), written after
   * everything else in the room the request's own metrics leave: a downstream never displaces them.
   */
  downstream?: readonly MetricGroup[] | undefined;
};

/**
 * The one place a `Server-Timing` value is written: each metric formatted once, one budget check, and
 * when the metrics do not fit, the longest kept and the rest folded into `other`. `total` and the trace
 * context come last and are always written.
 */
export function buildHeader(parts: HeaderParts): string {
  const count = parts.groups.length + (parts.metrics === undefined ? 0 : parts.metrics.length);
  // The entries are kept for folding only when there are more than fit (most headers fit: no arrays).
  const kept = count > parts.maxMetrics ? new KeptEntries(count) : undefined;
  let header = '';
  for (let index = 0; index < count; index++) {
    const entry = formatEntryAt(parts, index, kept);
    header = index === 0 ? entry : `${header}, ${entry}`;
  }
  const required = requiredEntries(parts);
  if (required !== '') header = header === '' ? required : `${header}, ${required}`;
  let own = header;
  if (kept !== undefined || header.length > parts.maxBytes) {
    own = overBudget(parts, kept ?? keepEntries(parts, count), required);
  }
  const downstream = parts.downstream;
  if (downstream === undefined || downstream.length === 0) return own;
  return appendDownstream(own, Math.min(count, parts.maxMetrics), downstream, parts);
}

/** Each entry of a header over its budget, and its duration, by index. */
class KeptEntries {
  readonly entries: string[];
  readonly durations: number[];

  constructor(count: number) {
    this.entries = new Array<string>(count);
    this.durations = new Array<number>(count);
  }
}

/** Entry `index` of the header: a span metric group, then the metrics from elsewhere; kept when asked. */
function formatEntryAt(parts: HeaderParts, index: number, kept: KeptEntries | undefined): string {
  const groupCount = parts.groups.length;
  let entry: string;
  let duration: number;
  if (index < groupCount) {
    const group = parts.groups[index] as MetricGroup;
    duration = group.duration(parts.aggregation);
    entry = formatEntry(group.name, duration, group.description(), parts.descriptions);
  } else {
    const metric = (parts.metrics as readonly ServerTimingMetric[])[index - groupCount] as ServerTimingMetric;
    entry = formatMetric(metric, parts.descriptions);
    duration = typeof metric.duration === 'number' ? metric.duration : 0;
  }
  if (kept !== undefined) {
    kept.entries[index] = entry;
    kept.durations[index] = duration;
  }
  return entry;
}

/** The entries of a header found over its byte budget only once written (formatted again: rare). */
function keepEntries(parts: HeaderParts, count: number): KeptEntries {
  const kept = new KeptEntries(count);
  for (let index = 0; index < count; index++) formatEntryAt(parts, index, kept);
  return kept;
}

/** The request's own metrics over budget: the longest kept, the rest folded into `other`. */
function overBudget(parts: HeaderParts, kept: KeptEntries, required: string): string {
  const { groups, aggregation, descriptions } = parts;
  const groupCount = groups.length;
  return foldToBudget({
    entries: kept.entries,
    durations: kept.durations,
    intervalsOf: (index) =>
      aggregation === 'union' && index < groupCount ? (groups[index] as MetricGroup).intervals() : undefined,
    required,
    aggregation,
    descriptions,
    maxBytes: parts.maxBytes,
    maxMetrics: parts.maxMetrics,
  });
}

/** `total` and the trace context, joined (`''` for neither). */
function requiredEntries(parts: HeaderParts): string {
  const total = parts.total === undefined ? '' : `total;dur=${formatDuration(parts.total)}`;
  if (parts.traceContext === undefined) return total;
  let context = traceContextEntries(parts.traceContext, parts.traceContextForm);
  if (context === '') return total;
  if (parts.timestamp !== undefined) context = `${context}, timestamp;desc=${parts.timestamp}`;
  return total === '' ? context : `${total}, ${context}`;
}
