import { diag } from '@opentelemetry/api';
import { MAX_ADDED_METRICS, MetricList, type ServerTimingMetric } from '@otel-server-timing/core';
import type { ServerTimingRecorder } from './types.js';

/** @deprecated Use `MAX_ADDED_METRICS` from `@otel-server-timing/core`; the same number. */
export const MAX_RECORDED_METRICS = MAX_ADDED_METRICS;

const OWNER = '@otel-server-timing/fetch';

/**
 * The metrics an application added to one response (what a framework adapter hands its handlers, e.g.
 * Hono's `c.get('serverTiming')`), under core's `add()` contract ({@link MetricList}): checked, copied,
 * capped, misuse reported through `diag`.
 */
export class RequestMetrics extends MetricList implements ServerTimingRecorder {
  constructor() {
    super(OWNER);
  }

  override add(metric: ServerTimingMetric): void {
    if (!(this instanceof RequestMetrics)) {
      diag.warn(`${OWNER}: call add() on the recorder (recorder.add(metric)), not as a detached function`);
      return;
    }
    super.add(metric);
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
