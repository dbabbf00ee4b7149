import { diag } from '@opentelemetry/api';
import { readTraceContext } from '@otel-server-timing/core';
import type { TimingEntry } from './types.js';

/** How long an unclaimed resource entry is kept, in milliseconds. */
const RETENTION_MS = 60_000;
/** Slack when comparing a span's start with an entry's `fetchStart` (clock rounding), in milliseconds. */
const START_SLACK_MS = 5;

/**
 * Resource entries that carry `Server-Timing`, kept from a buffered `PerformanceObserver` until a span
 * claims them. The observer still sees entries when the performance buffer is full or has been cleared
 * (`clearTimingResources`), which `performance.getEntriesByName()` would miss.
 */
export class ResourceEntries {
  readonly #byUrl = new Map<string, TimingEntry[]>();
  readonly #observer: PerformanceObserver | undefined;
  #lastSweep = 0;

  constructor() {
    if (typeof PerformanceObserver !== 'function') return;
    try {
      const observer = new PerformanceObserver((list) => this.#add(list.getEntries()));
      observer.observe({ type: 'resource', buffered: true });
      this.#observer = observer;
    } catch (error) {
      diag.warn(
        'ServerTimingLinkProcessor: cannot observe resource timing entries; only documentFetch spans are linked',
        error,
      );
    }
  }

  /**
   * Takes the unclaimed entry for `url` whose `fetchStart` lies between `start` and `end` (performance-timeline
   * milliseconds): the one whose server span is in trace `traceId` (the span's request carried its
   * `traceparent`, so the server joined its trace), else the one whose `fetchStart` is nearest to `start`.
   * Browsers with a millisecond clock (Firefox, WebKit) give concurrent requests equal start times; the
   * trace id still tells them apart.
   */
  claim(url: string, start: number, end: number, traceId: string): TimingEntry | undefined {
    if (this.#observer) this.#add(this.#observer.takeRecords());
    const entries = this.#byUrl.get(url);
    if (!entries) return undefined;
    let best = -1;
    let bestInTrace = false;
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index]!;
      if (entry.fetchStart < start - START_SLACK_MS || entry.fetchStart > end) continue;
      const inTrace = readTraceContext(entry.serverTiming)?.traceId === traceId;
      const nearer =
        best < 0 || Math.abs(entry.fetchStart - start) < Math.abs(entries[best]!.fetchStart - start);
      if (best < 0 || (inTrace && !bestInTrace) || (inTrace === bestInTrace && nearer)) {
        best = index;
        bestInTrace = inTrace;
      }
    }
    if (best < 0) return undefined;
    const [entry] = entries.splice(best, 1);
    if (entries.length === 0) this.#byUrl.delete(url);
    return entry;
  }

  disconnect(): void {
    this.#observer?.disconnect();
    this.#byUrl.clear();
  }

  #add(entries: readonly PerformanceEntry[]): void {
    for (const entry of entries as readonly TimingEntry[]) {
      if (!entry.serverTiming?.length) continue;
      const list = this.#byUrl.get(entry.name);
      if (list) list.push(entry);
      else this.#byUrl.set(entry.name, [entry]);
    }
    const now = performance.now();
    if (now - this.#lastSweep > RETENTION_MS) this.#sweep(now - RETENTION_MS);
  }

  #sweep(before: number): void {
    this.#lastSweep = performance.now();
    for (const [url, entries] of this.#byUrl) {
      const kept = entries.filter((entry) => entry.responseEnd >= before);
      if (kept.length === 0) this.#byUrl.delete(url);
      else if (kept.length < entries.length) this.#byUrl.set(url, kept);
    }
  }
}
