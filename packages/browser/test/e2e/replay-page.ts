// Runs in the shared-cache test's page: what the reader says about the page's own navigation entry,
// with the clock skew the test allows (it waits longer than that before a cache replays the page).
import type { ServerTiming } from '../../dist/index.js';
import { getServerTiming } from '../../dist/index.js';

declare global {
  interface Window {
    replayReading: { reading: ServerTiming | undefined; transferSize: number | undefined };
  }
}

const maxClockSkew = Number(new URL(location.href).searchParams.get('skew') ?? '1000');
const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
window.replayReading = {
  reading: getServerTiming(undefined, { maxClockSkew }),
  transferSize: navigation?.transferSize,
};
