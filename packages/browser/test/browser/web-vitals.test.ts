import { describe, expect, it } from 'vitest';
import { type MetricType, onFCP, onINP, onLCP, onTTFB, type TTFBMetric } from 'web-vitals';
import {
  attachServerTiming,
  getServerTiming,
  type WithServerTiming,
  withVitalsServerTiming,
} from '../../src/index.js';
import { PAGE_TRACEPARENT } from '../support/constants.js';

describe('web-vitals', () => {
  it('attaches the server trace of the navigation to real TTFB and FCP reports', async () => {
    const reports: WithServerTiming<{ name: string }>[] = [];
    document.body.append('Contentful text, so that the page has a first contentful paint.');
    withVitalsServerTiming(onTTFB)((metric) => reports.push(metric));
    withVitalsServerTiming(onFCP)((metric) => reports.push(metric), { reportAllChanges: true });
    await expect.poll(() => reports.map((report) => report.name).sort()).toEqual(['FCP', 'TTFB']);
    for (const report of reports) {
      expect(report.serverTiming?.traceContext?.traceId).toBe(PAGE_TRACEPARENT.slice(3, 35));
      expect(report.serverTiming?.metrics).toEqual([{ name: 'app', duration: 12.5, description: 'render' }]);
    }
    const ttfb = reports.find((report) => report.name === 'TTFB') as WithServerTiming<TTFBMetric>;
    expect(ttfb.value).toBeGreaterThan(0);
    expect(ttfb.entries[0]?.entryType).toBe('navigation');
  });

  it('keeps the report as it was and adds serverTiming', () => {
    const metric = { name: 'LCP', value: 1200, navigationType: 'navigate', id: 'v5-1' };
    const attached = attachServerTiming(metric);
    expect(attached).toEqual({ ...metric, serverTiming: getServerTiming() });
    expect(attached).not.toBe(metric);
    expect(metric).not.toHaveProperty('serverTiming');
  });

  it('marks a back/forward-cache restore as cached and has nothing for a soft navigation', () => {
    expect(attachServerTiming({ name: 'LCP', navigationType: 'back-forward-cache' }).serverTiming).toEqual({
      url: location.href,
      metrics: [],
      traceContext: undefined,
      ignored: 'cache',
    });
    expect(
      attachServerTiming({ name: 'LCP', navigationType: 'soft-navigation' }).serverTiming,
    ).toBeUndefined();
  });

  it('takes one report callback for every web-vitals function (the README example compiles)', () => {
    const report = (_metric: WithServerTiming<MetricType>): void => {};
    expect(() => {
      withVitalsServerTiming(onLCP)(report);
      withVitalsServerTiming(onINP)(report, { reportAllChanges: true });
    }).not.toThrow();
  });
});
