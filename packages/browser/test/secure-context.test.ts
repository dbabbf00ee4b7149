// A page on a plain-http host name (not localhost, not a loopback address) is no secure context. Each
// engine reaches the test server under such a name through the server itself, acting as the HTTP proxy.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENGINES, launchEngine } from '@otel-server-timing/browsers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecureContextRecord } from './e2e/secure-context-page.js';
import { bundlePageScript } from './support/end-to-end.js';
import { closeServer } from './support/test-servers.js';

const NON_SECURE_ORIGIN = 'http://non-secure.test';
const SERVER_TIMING = 'app;dur=7, traceparent;desc="00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"';

let server: Server;
let proxy: string;

beforeAll(async () => {
  const pageScript = await bundlePageScript(new URL('./e2e/secure-context-page.ts', import.meta.url));
  // As a proxy it is asked for absolute URLs (`GET http://non-secure.test/`); only the path matters.
  server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', NON_SECURE_ORIGIN);
    if (pathname === '/page.js') {
      response.setHeader('Content-Type', 'text/javascript');
      response.end(pageScript);
      return;
    }
    response.setHeader('Server-Timing', SERVER_TIMING);
    response.setHeader('Content-Type', 'text/html');
    response.end(
      '<!doctype html><title>non-secure</title><link rel="icon" href="data:,"><script src="/page.js"></script>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => closeServer(server));

describe.each(ENGINES)('a plain-http host name in %s', (engine) => {
  it('is no secure context; the reader reads the header or says unsupported', async () => {
    const browser = await launchEngine(engine, { proxy });
    try {
      const page = await browser.newPage();
      await page.goto(`${NON_SECURE_ORIGIN}/`);
      await page.waitForFunction(() => window.secureContextRecord !== undefined);
      const record: SecureContextRecord = await page.evaluate(() => window.secureContextRecord);
      expect(await page.errors()).toEqual([]);
      expect(record.secure).toBe(false);
      if (engine === 'firefox') {
        // Firefox exposes serverTiming in secure contexts only: the attribute is missing.
        expect(record.hasAttribute).toBe(false);
        expect(record.reading).toEqual({
          url: `${NON_SECURE_ORIGIN}/`,
          metrics: [],
          traceContext: undefined,
          ignored: 'unsupported',
        });
        return;
      }
      // Chromium and WebKit expose it on any origin.
      expect(record.hasAttribute).toBe(true);
      expect(record.reading?.metrics).toEqual([{ name: 'app', duration: 7, description: '' }]);
      expect(record.reading?.traceContext?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    } finally {
      await browser.close();
    }
  });
});
