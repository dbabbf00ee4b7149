import { MetricGroup } from '../metric-group.js';
import { parseServerTiming } from '../parse.js';
import { toMetricName } from '../token.js';
import type { Aggregation } from '../types.js';

/**
 * Longest downstream header read, in characters; the rest is cut at the last entry that fits. Node and
 * undici refuse headers over 16 KB unless told otherwise; this bounds the work when they are.
 */
const MAX_HEADER_LENGTH = 32_768;
/** Most distinct folded names one request keeps, whatever its downstreams send. */
const MAX_NAMES = 64;
const TRACE_CONTEXT_NAMES = new Set(['traceparent', 'trace']);

/** One call's answer, as the watcher saw it. */
export type DownstreamAnswer = {
  /** The `Server-Timing` value(s) of the response. */
  header: string | readonly string[];
  prefix: string;
  maxDepth: number;
  /** When the call was made and when its response headers arrived (ms since the epoch). */
  startedAt: number;
  answeredAt: number;
  /** Most metrics taken from this answer besides its `total`. */
  maxMetrics: number;
  aggregation: Aggregation;
};

/**
 * The metrics one request folded from its downstreams' `Server-Timing` headers, grouped by prefixed name
 * like span metrics (repeated calls aggregate the same way). Kept apart from the request's own metrics:
 * they get only the room those leave in the header, so a downstream can change nothing but its own entries.
 */
export class DownstreamMetrics {
  #groups: MetricGroup[] = [];

  /**
   * Reads a downstream's header and keeps its metrics under the prefix: names and descriptions are
   * sanitised when written, trace context dropped (another trace's is not ours, ours is written already),
   * names deeper than `maxDepth` levels dropped, durations clamped to the call's own time. Never throws.
   */
  fold(answer: DownstreamAnswer): void {
    const elapsed = Math.max(0, answer.answeredAt - answer.startedAt);
    const metrics = parseServerTiming(boundedHeader(answer.header));
    let others = 0;
    for (const metric of metrics) {
      const name = metric.name;
      if (TRACE_CONTEXT_NAMES.has(name.toLowerCase())) continue;
      if (dotsIn(name) >= answer.maxDepth) continue;
      const isTotal = name === 'total';
      if (!isTotal && others++ >= answer.maxMetrics) continue;
      const duration = Math.min(Math.max(metric.duration, 0), elapsed) || 0;
      const description = metric.description === '' ? undefined : metric.description;
      const group = this.#group(toMetricName(`${answer.prefix}.${name}`), description);
      group?.add(answer.answeredAt - duration, answer.answeredAt, description, answer.aggregation);
    }
  }

  /** The groups folded since the previous call, leaving none behind. */
  take(): readonly MetricGroup[] {
    const groups = this.#groups;
    this.#groups = [];
    return groups;
  }

  #group(name: string, description: string | undefined): MetricGroup | undefined {
    for (const group of this.#groups) if (group.name === name) return group;
    if (this.#groups.length >= MAX_NAMES) return undefined;
    const group = new MetricGroup(name, description, 'span', false);
    this.#groups.push(group);
    return group;
  }
}

function boundedHeader(header: string | readonly string[]): string | readonly string[] {
  const joined = typeof header === 'string' ? header : header.join(', ');
  if (joined.length <= MAX_HEADER_LENGTH) return header;
  const cut = joined.lastIndexOf(',', MAX_HEADER_LENGTH);
  return joined.slice(0, Math.max(cut, 0));
}

function dotsIn(name: string): number {
  let dots = 0;
  for (let index = name.indexOf('.'); index >= 0; index = name.indexOf('.', index + 1)) dots++;
  return dots;
}
