import { describe, expect, inject, it } from 'vitest';
import {
  getServerTiming,
  observeServerTiming,
  readServerTiming,
  type ServerTiming,
} from '../../src/index.js';
import { PAGE_TRACEPARENT } from '../support/constants.js';
import { engine, fetchJson, hasHttpCache, loadWithXhr, serverTimingUrl } from './helpers.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';

describe('getServerTiming', () => {
  it('reads the navigation entry when called without an argument', () => {
    const timing = getServerTiming();
    expect(timing).toEqual({
      url: location.href,
      metrics: [{ name: 'app', duration: 12.5, description: 'render' }],
      traceContext: {
        traceId: PAGE_TRACEPARENT.slice(3, 35),
        spanId: PAGE_TRACEPARENT.slice(36, 52),
        traceFlags: 1,
        sampled: true,
      },
      ignored: undefined,
    });
  });

  it('reads a fetched resource by relative or absolute URL, with the W3C Level 2 trace metric unquoted', async () => {
    const url = serverTimingUrl(`db;dur=3.5;desc=pg, trace;desc=00-${TRACE_ID}-${SPAN_ID}-00, cache;dur=1`);
    await fetchJson(url);
    const relative = url.slice(location.origin.length);
    const timing = getServerTiming(relative);
    expect(timing).toEqual({
      url,
      metrics: [
        { name: 'db', duration: 3.5, description: 'pg' },
        { name: 'cache', duration: 1, description: '' },
      ],
      traceContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0, sampled: false },
      ignored: undefined,
    });
    expect(getServerTiming(new URL(url))).toEqual(timing);
  });

  it('prefers traceparent over trace, and takes any valid flags in any case', async () => {
    const url = serverTimingUrl(
      `trace;desc=00-${'1'.repeat(32)}-${'2'.repeat(16)}-01, traceparent;desc="00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-03"`,
    );
    await fetchJson(url);
    expect(getServerTiming(url)?.traceContext).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 3,
      sampled: true,
    });
  });

  it('has no trace context when the server sent none or an invalid one', async () => {
    const url = serverTimingUrl(`traceparent;desc="00-${'0'.repeat(32)}-${SPAN_ID}-01", total;dur=4`);
    await fetchJson(url);
    expect(getServerTiming(url)).toMatchObject({
      metrics: [{ name: 'total', duration: 4 }],
      traceContext: undefined,
      ignored: undefined,
    });
  });

  it('reads XMLHttpRequest entries and entries passed in directly', async () => {
    const url = serverTimingUrl(`traceparent;desc="00-${TRACE_ID}-${SPAN_ID}-01"`);
    await loadWithXhr(url);
    const [entry] = performance.getEntriesByName(url) as PerformanceResourceTiming[];
    expect(entry?.initiatorType).toBe('xmlhttprequest');
    expect(getServerTiming(entry)?.traceContext?.spanId).toBe(SPAN_ID);
    expect(readServerTiming(entry!)).toEqual(getServerTiming(url));
  });

  it('returns undefined for a URL that was never loaded', () => {
    expect(getServerTiming('/never-loaded')).toBeUndefined();
  });

  it('ignores a response served from the HTTP cache, whose timings are a stale copy', async () => {
    const url = serverTimingUrl(`traceparent;desc="{traceparent}", n;dur={n}`, { cache: '600' });
    const first = await fetchJson(url);
    expect(getServerTiming(url)?.traceContext?.spanId).toBe(first.traceparent.slice(36, 52));
    const second = await fetchJson(url);
    const entries = performance.getEntriesByName(url) as PerformanceResourceTiming[];
    expect(entries).toHaveLength(2);
    if (!hasHttpCache) {
      // WebKit's automation browser asked the server again: fresh timings, read as such.
      expect(second.traceparent).not.toBe(first.traceparent);
      expect(getServerTiming(url)?.traceContext?.spanId).toBe(second.traceparent.slice(36, 52));
      return;
    }
    expect(second).toEqual(first);
    // The engine hands the cached copy of the header to the entry: the stale timings the rule is for.
    expect(entries[1]!.serverTiming.map((metric) => metric.name)).toEqual(['traceparent', 'n']);
    expect(entries[1]!.transferSize).toBe(0);
    expect(getServerTiming(url)).toEqual({ url, metrics: [], traceContext: undefined, ignored: 'cache' });
  });

  it("says 'replayed' for a network response stamped long before it was asked for (a shared cache's copy)", async () => {
    // The stamp a CDN's stored copy keeps: the server's clock when it answered an earlier visitor.
    const replayed = serverTimingUrl(
      `traceparent;desc="{traceparent}", timestamp;desc=${Date.now() - 120_000}`,
    );
    await fetchJson(replayed);
    expect(getServerTiming(replayed)).toEqual({
      url: replayed,
      metrics: [],
      traceContext: undefined,
      ignored: 'replayed',
    });
    // Stamped now: fresh, and the timestamp is not one of the server's metrics.
    const fresh = serverTimingUrl(
      `app;dur=1, traceparent;desc="{traceparent}", timestamp;desc=${Date.now()}`,
    );
    await fetchJson(fresh);
    expect(getServerTiming(fresh)?.ignored).toBeUndefined();
    expect(getServerTiming(fresh)?.metrics.map((metric) => metric.name)).toEqual(['app']);
    expect(getServerTiming(fresh)?.traceContext).toBeDefined();
    // Five seconds old: within the default 30 s of clock skew, beyond a 1 s one.
    const older = serverTimingUrl(`traceparent;desc="{traceparent}", timestamp;desc=${Date.now() - 5_000}`);
    await fetchJson(older);
    expect(getServerTiming(older)?.ignored).toBeUndefined();
    expect(getServerTiming(older, { maxClockSkew: 1_000 })?.ignored).toBe('replayed');
  });

  it('ignores a cache hit with an empty body, which Firefox marks by nothing but transferSize 0', async () => {
    const url = serverTimingUrl(`traceparent;desc="{traceparent}", n;dur={n}`, { cache: '600', empty: '1' });
    await (await fetch(url)).text();
    const fresh = getServerTiming(url);
    expect(fresh?.ignored).toBeUndefined();
    expect(fresh?.traceContext).toBeDefined();
    await (await fetch(url)).text();
    const [, second] = performance.getEntriesByName(url) as (PerformanceResourceTiming & {
      deliveryType?: string;
    })[];
    expect(second?.serverTiming.map((metric) => metric.name)).toEqual(['traceparent', 'n']);
    expect(second?.decodedBodySize).toBe(0);
    // Chromium says where the response came from; Firefox has no deliveryType; WebKit did not cache.
    expect(second?.deliveryType).toBe({ chromium: 'cache', firefox: undefined, webkit: undefined }[engine]);
    if (!hasHttpCache) {
      expect(second?.transferSize).toBeGreaterThan(0);
      expect(getServerTiming(url)?.traceContext?.spanId).not.toBe(fresh?.traceContext?.spanId);
      return;
    }
    expect(second?.transferSize).toBe(0);
    expect(getServerTiming(url)).toEqual({ url, metrics: [], traceContext: undefined, ignored: 'cache' });
  });

  it("says 'unknown' for an entry that does not tell whether it came from the cache (no transferSize)", async () => {
    const url = serverTimingUrl(`traceparent;desc="00-${TRACE_ID}-${SPAN_ID}-01", db;dur=2`);
    await fetchJson(url);
    const [entry] = performance.getEntriesByName(url) as PerformanceResourceTiming[];
    // What an engine without resource sizes hands over: the entry's own fields, less transferSize.
    const withoutSizes = { ...entry!.toJSON(), serverTiming: entry!.serverTiming, transferSize: undefined };
    expect(readServerTiming(withoutSizes as unknown as PerformanceResourceTiming)).toEqual({
      url,
      metrics: [],
      traceContext: undefined,
      ignored: 'unknown',
    });
    expect(readServerTiming(entry!).ignored).toBeUndefined();
  });

  it("keeps a revalidated (304) response's timings, which are fresh although deliveryType is 'cache'", async () => {
    const url = serverTimingUrl(`traceparent;desc="{traceparent}", n;dur={n}`, { etag: '1' });
    await fetchJson(url);
    const first = getServerTiming(url);
    await fetchJson(url);
    const entries = performance.getEntriesByName(url) as (PerformanceResourceTiming & {
      deliveryType?: string;
    })[];
    // Only Chromium has deliveryType; Firefox and WebKit leave it out. (WebKit, without a cache here, sent
    // no conditional request: its second response is a full 200.)
    const expected = engine === 'chromium' ? ['', 'cache'] : [undefined, undefined];
    expect(entries.map((entry) => entry.deliveryType)).toEqual(expected);
    expect(entries[1]!.transferSize).toBeGreaterThan(0);
    const revalidated = getServerTiming(url);
    expect(revalidated?.ignored).toBeUndefined();
    expect(revalidated?.traceContext?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(revalidated?.traceContext?.spanId).not.toBe(first?.traceContext?.spanId);
    expect(revalidated?.metrics[0]?.duration).toBe((first?.metrics[0]?.duration ?? Number.NaN) + 1);
  });

  describe('cross-origin', () => {
    const crossOrigin = inject('crossOrigin');

    it('reads a cross-origin response that sends Timing-Allow-Origin', async () => {
      const url = serverTimingUrl(
        `traceparent;desc="00-${TRACE_ID}-${SPAN_ID}-01", db;dur=2`,
        { tao: '1' },
        crossOrigin,
      );
      await fetchJson(url);
      const [entry] = performance.getEntriesByName(url) as PerformanceResourceTiming[];
      expect(entry?.responseStart, 'Timing-Allow-Origin exposes the timings').toBeGreaterThan(0);
      if (engine === 'webkit') {
        // WebKit exposes the timings but never a cross-origin response's serverTiming, allowed or not.
        expect(entry?.serverTiming).toEqual([]);
        expect(getServerTiming(url)).toEqual({
          url,
          metrics: [],
          traceContext: undefined,
          ignored: undefined,
        });
        return;
      }
      expect(getServerTiming(url)).toMatchObject({
        metrics: [{ name: 'db', duration: 2 }],
        traceContext: { traceId: TRACE_ID, spanId: SPAN_ID },
        ignored: undefined,
      });
    });

    it("says 'cross-origin' when the browser hid the timings (no Timing-Allow-Origin)", async () => {
      const url = serverTimingUrl(
        `traceparent;desc="00-${TRACE_ID}-${SPAN_ID}-01", db;dur=2`,
        {},
        crossOrigin,
      );
      await fetchJson(url);
      const [entry] = performance.getEntriesByName(url) as PerformanceResourceTiming[];
      expect(entry?.serverTiming).toEqual([]);
      expect(getServerTiming(url)).toEqual({
        url,
        metrics: [],
        traceContext: undefined,
        ignored: 'cross-origin',
      });
    });
  });
});

describe('observeServerTiming', () => {
  function collect(): { timings: ServerTiming[]; stop: () => void } {
    const timings: ServerTiming[] = [];
    const stop = observeServerTiming((timing, entry) => {
      expect(timing.url).toBe(entry.name);
      timings.push(timing);
    });
    return { timings, stop };
  }

  it('sees the navigation and earlier resources (buffered), later fetches, and stops when asked', async () => {
    const before = serverTimingUrl('early;dur=1');
    await fetchJson(before);
    const { timings, stop } = collect();
    const after = serverTimingUrl(`traceparent;desc="00-${TRACE_ID}-${SPAN_ID}-01", late;dur=2`);
    await fetchJson(after);
    await expect
      .poll(() => timings.map((timing) => timing.url))
      .toEqual(expect.arrayContaining([before, after]));
    expect(timings.find((timing) => timing.url === location.href)?.traceContext?.traceId).toBe(
      PAGE_TRACEPARENT.slice(3, 35),
    );
    expect(timings.find((timing) => timing.url === after)?.traceContext?.spanId).toBe(SPAN_ID);

    stop();
    const seen = timings.length;
    // A second observer, still running, says when the entry has been delivered: by then the stopped one
    // would have had it too.
    const witness = collect();
    const stopped = serverTimingUrl('unseen;dur=3');
    await fetchJson(stopped);
    await expect.poll(() => witness.timings.some((timing) => timing.url === stopped)).toBe(true);
    witness.stop();
    expect(timings).toHaveLength(seen);
  });

  it('reports cached entries as ignored and skips entries without Server-Timing', async () => {
    const { timings, stop } = collect();
    const cached = serverTimingUrl('n;dur={n}', { cache: '600' });
    await fetchJson(cached);
    await fetchJson(cached);
    const silent = serverTimingUrl('');
    await fetchJson(silent);
    await expect
      .poll(() => timings.filter((timing) => timing.url === cached).map((timing) => timing.ignored))
      .toEqual([undefined, hasHttpCache ? 'cache' : undefined]);
    expect(timings.some((timing) => timing.url === silent)).toBe(false);
    stop();
  });

  it('rethrows a callback error outside the observer and still delivers the other entries', async () => {
    const thrown: unknown[] = [];
    const keepFromTestRunner = (event: ErrorEvent) => {
      if (!(event.error instanceof Error && event.error.message === 'callback failed')) return;
      thrown.push(event.error);
      event.preventDefault();
      event.stopImmediatePropagation();
    };
    window.addEventListener('error', keepFromTestRunner, { capture: true });
    const seen: string[] = [];
    const earlier = serverTimingUrl('early;dur=1');
    await fetchJson(earlier);
    const stop = observeServerTiming((timing) => {
      seen.push(timing.url);
      if (timing.url === location.href) throw new Error('callback failed');
    });
    const later = serverTimingUrl('late;dur=1');
    await fetchJson(later);
    await expect.poll(() => seen).toEqual(expect.arrayContaining([location.href, earlier, later]));
    stop();
    await expect.poll(() => thrown).toHaveLength(1);
    window.removeEventListener('error', keepFromTestRunner, { capture: true });
  });
});
