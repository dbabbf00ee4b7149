import type { SpanContext } from '@opentelemetry/api';
import type { MetricGroup } from '../metric-group.js';
import type { Aggregation, ServerTimingMetric, TraceContextForm } from '../types.js';
import { appendDownstream } from './downstream-entries.js';
import { foldToBudget } from './fold.js';
import { formatDuration, formatEntry, formatMetric } from './format.js';
import { formatTraceContext } from './trace-context.js';

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
  const { groups, metrics, aggregation, descriptions } = parts;
  const groupCount = groups.length;
  const count = groupCount + (metrics === undefined ? 0 : metrics.length);
  const entries = new Array<string>(count);
  const durations = new Array<number>(count);
  let header = '';
  for (let index = 0; index < count; index++) {
    let entry: string;
    if (index < groupCount) {
      const group = groups[index] as MetricGroup;
      const duration = group.duration(aggregation);
      entry = formatEntry(group.name, duration, group.description(), descriptions);
      durations[index] = duration;
    } else {
      const metric = (metrics as readonly ServerTimingMetric[])[index - groupCount] as ServerTimingMetric;
      entry = formatMetric(metric, descriptions);
      durations[index] = typeof metric.duration === 'number' ? metric.duration : 0;
    }
    entries[index] = entry;
    header = index === 0 ? entry : `${header}, ${entry}`;
  }
  const required = requiredEntries(parts);
  if (required !== '') header = header === '' ? required : `${header}, ${required}`;
  const own =
    count <= parts.maxMetrics && header.length <= parts.maxBytes
      ? header
      : overBudget(parts, entries, durations, required);
  const downstream = parts.downstream;
  if (downstream === undefined || downstream.length === 0) return own;
  return appendDownstream(own, Math.min(count, parts.maxMetrics), downstream, parts);
}

/** The request's own metrics over budget: the longest kept, the rest folded into `other`. */
function overBudget(
  parts: HeaderParts,
  entries: readonly string[],
  durations: readonly number[],
  required: string,
): string {
  const { groups, aggregation, descriptions } = parts;
  const groupCount = groups.length;
  return foldToBudget({
    entries,
    durations,
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
  let required = parts.total === undefined ? '' : `total;dur=${formatDuration(parts.total)}`;
  if (parts.traceContext !== undefined) {
    const entries = formatTraceContext(parts.traceContext, parts.traceContextForm);
    if (parts.timestamp !== undefined && entries.length > 0)
      entries.push(`timestamp;desc=${parts.timestamp}`);
    for (const entry of entries) {
      required = required === '' ? entry : `${required}, ${entry}`;
    }
  }
  return required;
}
