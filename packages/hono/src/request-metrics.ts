import { diag } from '@opentelemetry/api';
import type { ServerTimingMetric } from '@otel-server-timing/core';
import {
  addServerTiming as addRequestServerTiming,
  type ServerTimingRecorder,
} from '@otel-server-timing/fetch';
import type { Context } from 'hono';

const OWNER = '@otel-server-timing/hono';

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
      addRequestServerTiming(target, metric);
      return;
    }
    const recorder = target.get('serverTiming') as Partial<ServerTimingRecorder> | undefined;
    if (typeof recorder?.add === 'function') recorder.add(metric);
    else addRequestServerTiming(target.req.raw, metric);
  } catch (error) {
    diag.warn(`${OWNER}: could not add a metric`, error);
  }
}
