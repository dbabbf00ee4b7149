import { getServerTiming } from './get-server-timing.js';
import { ignoredServerTiming } from './read-server-timing.js';
import type { ServerTiming, WebVitalsMetricLike, WithServerTiming } from './types.js';

function navigationServerTiming(navigationType: string | undefined): ServerTiming | undefined {
  if (navigationType === 'soft-navigation') return undefined;
  const timing = getServerTiming();
  return timing && navigationType === 'back-forward-cache'
    ? ignoredServerTiming(timing.url, 'cache')
    : timing;
}

/**
 * A copy of a `web-vitals` metric report (TTFB, LCP, INP, CLS, FCP; web-vitals 4 and later) with
 * `serverTiming`: the server trace id and metrics of the page's navigation request, so that a slow page can
 * be traced to its server request.
 */
export function attachServerTiming<TMetric extends WebVitalsMetricLike>(
  metric: TMetric,
): WithServerTiming<TMetric> {
  return { ...metric, serverTiming: navigationServerTiming(metric.navigationType) };
}

/**
 * Wraps a `web-vitals` function (`onTTFB`, `onLCP`…) so that its reports arrive with `serverTiming`:
 * `withVitalsServerTiming(onLCP)((metric) => send(metric.serverTiming?.traceContext?.traceId))`.
 */
export function withVitalsServerTiming<TMetric extends WebVitalsMetricLike, TRest extends unknown[]>(
  onMetric: (callback: (metric: TMetric) => void, ...rest: TRest) => void,
): (callback: (metric: WithServerTiming<TMetric>) => void, ...rest: TRest) => void {
  return (callback, ...rest) => onMetric((metric) => callback(attachServerTiming(metric)), ...rest);
}

/**
 * The former name of {@link withVitalsServerTiming}.
 * @deprecated `withServerTiming` is the Fetch handler wrapper in `@otel-server-timing/fetch`; use
 * `withVitalsServerTiming`, the same function.
 */
export const withServerTiming: typeof withVitalsServerTiming = withVitalsServerTiming;
