import { readServerTiming } from './read-server-timing.js';
import type { ServerTiming, TimingEntry } from './types.js';

/**
 * Calls `callback` for every navigation and resource entry that carries `Server-Timing`: those recorded
 * before the call (buffered) and every later one (fetch, XHR, images…). Entries served from cache are
 * reported too, with `ignored: 'cache'` and no metrics. Returns a function that stops observing.
 *
 * Each entry is reported once: Chromium and Firefox hand the page's navigation entry to a buffered observer a
 * second time when the load event ends.
 *
 * An error thrown by `callback` is rethrown in a microtask (so it reaches `window.onerror`) and does not stop
 * the other entries.
 */
export function observeServerTiming(
  callback: (timing: ServerTiming, entry: TimingEntry) => void,
): () => void {
  if (typeof PerformanceObserver !== 'function') return () => {};
  const reported = new WeakSet<TimingEntry>();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as TimingEntry[]) {
      if (!entry.serverTiming?.length || reported.has(entry)) continue;
      reported.add(entry);
      try {
        callback(readServerTiming(entry), entry);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  });
  for (const type of ['navigation', 'resource']) observer.observe({ type, buffered: true });
  return () => observer.disconnect();
}
