import { diag } from '@opentelemetry/api';
import type { ServerTimingMetric } from '@otel-server-timing/core';
import type { Context } from 'hono';
import type { ServerTimingRecorder } from './types.js';

/** Most metrics of its own an application can add to one response; more are ignored. */
export const MAX_RECORDED_METRICS = 64;

const OWNER = '@otel-server-timing/hono';

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
 * The metrics an application added to one response. Copies what it is given, so a metric object changed
 * or made hostile later cannot break the header.
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
 * Metrics added with {@link addServerTiming} for a plain `Request` (no Hono middleware), read by
 * {@link withServerTiming}. Kept on a `Symbol.for` key of `globalThis` so that the ESM and the CommonJS
 * copy of this package share it.
 */
const REQUEST_METRICS_KEY = Symbol.for('@otel-server-timing/hono.requestMetrics');

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

function recorderOfRequest(request: Request): RequestMetrics {
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

function isHonoContext(target: Context | Request): target is Context {
  return typeof (target as Context).get === 'function' && typeof (target as Context).req === 'object';
}

/**
 * Adds a metric of the application's own (`name`, optional `duration` in ms, optional `description`) to
 * the `Server-Timing` header of the current response. `target` is Hono's `Context` (under the
 * {@link serverTiming} middleware, or under {@link withServerTiming} around `app.fetch`) or the `Request`
 * a {@link withServerTiming} handler received. Never throws; invalid metrics are ignored.
 */
export function addServerTiming(target: Context | Request, metric: ServerTimingMetric): void {
  try {
    if (target === null || typeof target !== 'object') {
      diag.warn(`${OWNER}: addServerTiming needs Hono's Context or the Request; metric ignored`);
      return;
    }
    if (!isHonoContext(target)) {
      recorderOfRequest(target).add(metric);
      return;
    }
    const recorder = target.get('serverTiming') as Partial<ServerTimingRecorder> | undefined;
    if (typeof recorder?.add === 'function') recorder.add(metric);
    else recorderOfRequest(target.req.raw).add(metric);
  } catch (error) {
    diag.warn(`${OWNER}: could not add a metric`, error);
  }
}
