import { diag } from '@opentelemetry/api';
// The small entry: the core's root would bring the processor and its option schema into the page.
import { readTraceContext } from '@otel-server-timing/core/trace-context';
import type { TimingEntry } from './types.js';

/** How long a resource entry is kept, in milliseconds. */
const RETENTION_MS = 60_000;
/** Slack when comparing a span's start with an entry's `fetchStart` (clock rounding), in milliseconds. */
const START_SLACK_MS = 5;

/**
 * Resource entries that carry `Server-Timing`, kept from a buffered `PerformanceObserver` for
 * {@link RETENTION_MS}. The observer still sees entries when the performance buffer is full or has been
 * cleared (`clearTimingResources`), which `performance.getEntriesByName()` would miss.
 */
export class ResourceEntries {
  readonly #byUrl = new Map<string, TimingEntry[]>();
  /** Entries a fetch or XHR span has taken: each request has one such span. */
  readonly #claimed = new WeakSet<TimingEntry>();
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
   * Takes, for a fetch or XHR span, the entry of its request: see {@link find}. An entry is taken once, so
   * concurrent requests for one URL each get their own.
   */
  claim(url: string, start: number, end: number, traceId: string): TimingEntry | undefined {
    const entry = this.#best(url, start, end, traceId, true);
    if (entry) this.#claimed.add(entry);
    return entry;
  }

  /**
   * The entry for `url` whose `fetchStart` lies between `start` and `end` (performance-timeline
   * milliseconds): the one whose server span is in trace `traceId` (the span's request carried its
   * `traceparent`, so the server joined its trace), else the one whose `fetchStart` is nearest to `start`.
   * Browsers with a millisecond clock (Firefox, WebKit) give concurrent requests equal start times; the
   * trace id still tells them apart. Finding takes nothing: a `resourceFetch` span of document-load
   * describes a request that a fetch span may describe too, and both are linked.
   */
  find(url: string, start: number, end: number, traceId: string): TimingEntry | undefined {
    return this.#best(url, start, end, traceId, false);
  }

  #best(
    url: string,
    start: number,
    end: number,
    traceId: string,
    unclaimedOnly: boolean,
  ): TimingEntry | undefined {
    if (this.#observer) this.#add(this.#observer.takeRecords());
    let best: TimingEntry | undefined;
    let bestInTrace = false;
    for (const entry of this.#byUrl.get(url) ?? []) {
      if (entry.fetchStart < start - START_SLACK_MS || entry.fetchStart > end) continue;
      if (unclaimedOnly && this.#claimed.has(entry)) continue;
      const inTrace = readTraceContext(entry.serverTiming)?.traceId === traceId;
      const nearer = !best || Math.abs(entry.fetchStart - start) < Math.abs(best.fetchStart - start);
      if (!best || (inTrace && !bestInTrace) || (inTrace === bestInTrace && nearer)) {
        best = entry;
        bestInTrace = inTrace;
      }
    }
    return best;
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
