// The README's "signed debug header" recipe, as written there: staff tooling signs the current time with
// a shared secret, and only a fresh, correctly signed request gets full timings; everyone else the trace
// context only.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { closeServer, listen, request, setUpAdapterSuite } from '@otel-server-timing/adapter-test-kit';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { serverTiming } from '../src/index.js';

const suite = setUpAdapterSuite(new ExpressInstrumentation(), () => ({
  'express 5': createRequire(import.meta.url)('express'),
}));

// --- the recipe ---
const DEBUG_SECRET = 'a long random secret shared with your staff tooling';
const MAX_AGE_MS = 5 * 60_000;

/** `X-Debug-Timing: <unix ms>.<hex HMAC-SHA256 of those digits>`, signed with the secret, at most 5 minutes old. */
function hasValidDebugHeader(req: IncomingMessage): boolean {
  const value = req.headers['x-debug-timing'];
  if (typeof value !== 'string') return false;
  const [stamp = '', signature = ''] = value.split('.');
  if (!/^\d+$/.test(stamp) || Math.abs(Date.now() - Number(stamp)) > MAX_AGE_MS) return false;
  const expected = createHmac('sha256', DEBUG_SECRET).update(stamp).digest();
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const timing = serverTiming({ level: (req) => (hasValidDebugHeader(req) ? 'full' : 'trace') });

/** What staff tooling sends. */
function signDebugHeader(now = Date.now(), secret = DEBUG_SECRET): string {
  return `${now}.${createHmac('sha256', secret).update(String(now)).digest('hex')}`;
}
// --- end of the recipe ---

describe('the signed debug header recipe', () => {
  it('gives full timings to a fresh signed request and the trace context only to everyone else', async () => {
    const app = suite.majors['express 5']!();
    app.use(timing);
    app.get('/', (_req: Request, res: Response) => {
      res.serverTiming.add({ name: 'app', duration: 1, description: 'mine' });
      res.send('ok');
    });
    const server = createServer(app);
    suite.afterTest(() => closeServer(server));
    const origin = await listen(server);
    const names = async (header?: string) =>
      (
        await request(origin, header === undefined ? {} : { headers: { 'x-debug-timing': header } })
      ).metrics.map((metric) => metric.name);

    expect(await names(signDebugHeader())).toEqual(['app', 'total', 'traceparent']);
    expect(await names()).toEqual(['traceparent']);
    const valid = signDebugHeader();
    const tampered = `${valid.slice(0, -1)}${valid.endsWith('0') ? '1' : '0'}`;
    expect(await names(tampered)).toEqual(['traceparent']);
    expect(await names(signDebugHeader(Date.now() - 10 * 60_000))).toEqual(['traceparent']);
    expect(await names(signDebugHeader(Date.now(), 'another secret'))).toEqual(['traceparent']);
    expect(await names(`${Date.now()}.abcd`)).toEqual(['traceparent']);
    expect(await names('nonsense')).toEqual(['traceparent']);
  });
});
