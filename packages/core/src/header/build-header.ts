import type { SpanContext } from '@opentelemetry/api';
import type { MetricGroup } from '../metric-group.js';
import type { Aggregation, ServerTimingMetric, TraceContextForm } from '../types.js';
import { appendDownstream } from './downstream-entries.js';
import { foldToBudget } from './fold.js';
import { appendEntry, appendMetric, formatEntry, formatMetric } from './format.js';
import { appendTraceContext } from './trace-context.js';

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
 * The one place a `Server-Timing` value is written: the entries appended to one value, one budget check,
 * and when the metrics do not fit, the longest kept and the rest folded into `other`. `total` and the
 * trace context come last and are always written.
 */
export function buildHeader(parts: HeaderParts): string {
  const count = parts.groups.length + (parts.metrics === undefined ? 0 : parts.metrics.length);
  let own: string;
  if (count > parts.maxMetrics) own = overBudget(parts, count);
  else {
    own = appendRequired(appendEntries(parts), parts);
    // Most headers fit; one that does not is formatted again, entry by entry, to choose what to keep.
    if (own.length > parts.maxBytes) own = overBudget(parts, count);
  }
  const downstream = parts.downstream;
  if (downstream === undefined || downstream.length === 0) return own;
  return appendDownstream(own, Math.min(count, parts.maxMetrics), downstream, parts);
}

/** The span metric groups, then the metrics from elsewhere, as one value (`''` for none). */
function appendEntries(parts: HeaderParts): string {
  const { groups, aggregation, descriptions, metrics } = parts;
  let value = '';
  for (let index = 0; index < groups.length; index++) {
    const group = groups[index] as MetricGroup;
    value = appendEntry(value, group.name, group.duration(aggregation), group.description(), descriptions);
  }
  if (metrics !== undefined) {
    for (let index = 0; index < metrics.length; index++) {
      value = appendMetric(value, metrics[index] as ServerTimingMetric, descriptions);
    }
  }
  return value;
}

/** `value` followed by `total` and the trace context (and its timestamp), those the parts ask for. */
function appendRequired(value: string, parts: HeaderParts): string {
  if (parts.total !== undefined) value = appendEntry(value, 'total', parts.total, undefined, false);
  if (parts.traceContext === undefined) return value;
  const before = value.length;
  value = appendTraceContext(value, parts.traceContext, parts.traceContextForm);
  if (value.length !== before && parts.timestamp !== undefined) {
    value = `${value}, timestamp;desc=${parts.timestamp}`;
  }
  return value;
}

/**
 * The request's own metrics over budget: each entry formatted on its own, the longest kept, the rest
 * folded into `other`.
 */
function overBudget(parts: HeaderParts, count: number): string {
  const { groups, aggregation, descriptions } = parts;
  const groupCount = groups.length;
  const entries = new Array<string>(count);
  const durations = new Array<number>(count);
  for (let index = 0; index < count; index++) {
    if (index < groupCount) {
      const group = groups[index] as MetricGroup;
      durations[index] = group.duration(aggregation);
      entries[index] = formatEntry(group.name, durations[index], group.description(), descriptions);
    } else {
      const metric = (parts.metrics as readonly ServerTimingMetric[])[
        index - groupCount
      ] as ServerTimingMetric;
      entries[index] = formatMetric(metric, descriptions);
      durations[index] = typeof metric.duration === 'number' ? metric.duration : 0;
    }
  }
  return foldToBudget({
    entries,
    durations,
    intervalsOf: (index) =>
      aggregation === 'union' && index < groupCount ? (groups[index] as MetricGroup).intervals() : undefined,
    required: appendRequired('', parts),
    aggregation,
    descriptions,
    maxBytes: parts.maxBytes,
    maxMetrics: parts.maxMetrics,
  });
}
