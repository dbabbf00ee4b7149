import { diag } from '@opentelemetry/api';
import type { ServerTimingMetric } from './types.js';

/** Most metrics of its own an application can add to one response; more are ignored. */
export const MAX_ADDED_METRICS = 64;

/** A copy of the fields of a metric the application handed in, or `undefined` when it is unusable. */
function copyMetric(metric: ServerTimingMetric): ServerTimingMetric | undefined {
  if (metric === null || typeof metric !== 'object') return undefined;
  const { name, duration, description } = metric;
  if (typeof name !== 'string' || name === '') return undefined;
  const copy: ServerTimingMetric = { name };
  if (typeof duration === 'number' && Number.isFinite(duration)) copy.duration = duration;
  if (typeof description === 'string' && description !== '') copy.description = description;
  return copy;
}

/**
 * The metrics an application added to one response, under the one `add()` contract of every adapter:
 * each metric is checked (a non-empty string `name`), copied (so an object changed or made hostile later
 * cannot break the header), capped at {@link MAX_ADDED_METRICS}, and misuse is reported through `diag`,
 * never thrown.
 */
export class MetricList {
  readonly #owner: string;
  #metrics: ServerTimingMetric[] | undefined;

  /** @param owner names the adapter in `diag` messages. */
  constructor(owner: string) {
    this.#owner = owner;
  }

  /** Adds a copy of `metric`, or reports through `diag` why it was left out. Never throws. */
  add(metric: ServerTimingMetric): void {
    try {
      const copy = copyMetric(metric);
      if (copy === undefined) {
        diag.warn(`${this.#owner}: a metric needs a non-empty string \`name\`; ignored`);
        return;
      }
      this.#metrics ??= [];
      if (this.#metrics.length >= MAX_ADDED_METRICS) {
        diag.warn(
          `${this.#owner}: more than ${MAX_ADDED_METRICS} metrics added to one response; "${copy.name}" ignored`,
        );
        return;
      }
      this.#metrics.push(copy);
    } catch (error) {
      diag.warn(`${this.#owner}: could not add a metric`, error);
    }
  }

  /** What was added so far, or `undefined` when nothing was. */
  get metrics(): readonly ServerTimingMetric[] | undefined {
    return this.#metrics;
  }

  /**
   * Adds what was added so far to `recorder`: an adapter that collected metrics before it had the
   * response's handle hands them over this way once it has one. The recorder checks and copies them again.
   */
  addTo(recorder: { add(metric: ServerTimingMetric): void }): void {
    const metrics = this.#metrics;
    if (metrics !== undefined) for (const metric of metrics) recorder.add(metric);
  }

  /** Hands over what was added and starts empty (a header took them; later ones go to the trailer). */
  take(): readonly ServerTimingMetric[] | undefined {
    const metrics = this.#metrics;
    this.#metrics = undefined;
    return metrics;
  }
}
