import { diag } from '@opentelemetry/api';
import type { ServerTimingMetric } from '@otel-server-timing/core';
import type { ServerTimingRecorder } from './types.js';

/** Most metrics of its own an application can add to one response; more are ignored. */
export const MAX_RECORDED_METRICS = 64;

const OWNER = '@otel-server-timing/fetch';

/** Copies the fields of a metric the application handed in, or returns `undefined` when it is unusable. */
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
 * The metrics an application added to one response (what a framework adapter hands its handlers, e.g.
 * Hono's `c.get('serverTiming')`). Copies what it is given, so a metric object changed or made hostile
 * later cannot break the header.
 */
export class RequestMetrics implements ServerTimingRecorder {
  #metrics: ServerTimingMetric[] | undefined;

  add(metric: ServerTimingMetric): void {
    try {
      if (!(this instanceof RequestMetrics)) {
        diag.warn(`${OWNER}: call add() on the recorder (recorder.add(metric)), not as a detached function`);
        return;
      }
      const copy = copyMetric(metric);
      if (copy === undefined) {
        diag.warn(`${OWNER}: a metric needs a non-empty string \`name\`; ignored`);
        return;
      }
      this.#metrics ??= [];
      const metrics = this.#metrics;
      if (metrics.length >= MAX_RECORDED_METRICS) {
        diag.warn(
          `${OWNER}: more than ${MAX_RECORDED_METRICS} metrics added to one response; "${copy.name}" ignored`,
        );
        return;
      }
      metrics.push(copy);
    } catch (error) {
      diag.warn(`${OWNER}: could not add a metric`, error);
    }
  }

  /** What was added so far, or `undefined` when nothing was. */
  get metrics(): readonly ServerTimingMetric[] | undefined {
    return this.#metrics;
  }
}

/**
 * Metrics added with {@link addServerTiming} for a `Request`, read by {@link withServerTiming}. Kept on a
 * `Symbol.for` key of `globalThis` so that every copy of this package (ESM and CommonJS, or one bundled
 * per route by Next.js) shares it.
 */
const REQUEST_METRICS_KEY = Symbol.for('@otel-server-timing/fetch.requestMetrics');

type RequestMetricsRegistry = { [REQUEST_METRICS_KEY]?: WeakMap<object, RequestMetrics> };

function requestMetricsMap(): WeakMap<object, RequestMetrics> {
  const registry = globalThis as RequestMetricsRegistry;
  let map = registry[REQUEST_METRICS_KEY];
  if (map === undefined) {
    map = new WeakMap();
    registry[REQUEST_METRICS_KEY] = map;
  }
  return map;
}

function recorderOfRequest(request: object): RequestMetrics {
  const map = requestMetricsMap();
  let recorder = map.get(request);
  if (recorder === undefined) {
    recorder = new RequestMetrics();
    map.set(request, recorder);
  }
  return recorder;
}

/** Takes the metrics added for `request` with {@link addServerTiming}, leaving none behind. */
export function takeRequestMetrics(request: Request): readonly ServerTimingMetric[] | undefined {
  const map = (globalThis as RequestMetricsRegistry)[REQUEST_METRICS_KEY];
  if (map === undefined) return undefined;
  const recorder = map.get(request);
  if (recorder === undefined) return undefined;
  map.delete(request);
  return recorder.metrics;
}

/**
 * Adds a metric of the application's own (`name`, optional `duration` in ms, optional `description`) to
 * the `Server-Timing` header of the response to `request`, the `Request` a {@link withServerTiming}
 * handler received. Never throws; invalid metrics are ignored.
 */
export function addServerTiming(request: Request, metric: ServerTimingMetric): void {
  try {
    if (request === null || typeof request !== 'object') {
      diag.warn(`${OWNER}: addServerTiming needs the Request the handler received; metric ignored`);
      return;
    }
    recorderOfRequest(request).add(metric);
  } catch (error) {
    diag.warn(`${OWNER}: could not add a metric`, error);
  }
}
