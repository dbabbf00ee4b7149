// Runs from the <head> of the observe-before-load test's page, synchronously, before the load event: it
// records every entry observeServerTiming reports and, as the control, how often a plain buffered
// PerformanceObserver is handed the navigation entry (Chromium and Firefox hand it over again when the load event ends).
import type { ServerTiming } from '../../dist/index.js';
import { observeServerTiming } from '../../dist/index.js';

/** What the page saw, as the test reads it. */
export type BeforeLoadRecord = {
  /** `document.readyState` when observing started: `'loading'` is what this test is about. */
  readyStateAtStart: DocumentReadyState;
  /** Every call of observeServerTiming's callback, in order. */
  reported: (Pick<ServerTiming, 'url' | 'metrics' | 'traceContext'> & {
    entryType: string;
    ignored: ServerTiming['ignored'] | null;
  })[];
  /** How many times the plain buffered observer was handed the navigation entry. */
  controlNavigationDeliveries: number;
};

declare global {
  interface Window {
    beforeLoad: BeforeLoadRecord;
  }
}

const record: BeforeLoadRecord = {
  readyStateAtStart: document.readyState,
  reported: [],
  controlNavigationDeliveries: 0,
};
window.beforeLoad = record;

observeServerTiming(({ url, metrics, traceContext, ignored }, entry) => {
  record.reported.push({ entryType: entry.entryType, url, metrics, traceContext, ignored: ignored ?? null });
});

new PerformanceObserver((list) => {
  record.controlNavigationDeliveries += list.getEntriesByType('navigation').length;
}).observe({ type: 'navigation', buffered: true });
