// Responses that a service worker answers: built by the worker, fetched by it from the network, or taken
// from its Cache Storage (a copy of an earlier response, with that response's Server-Timing).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENGINES, launchEngine } from '@otel-server-timing/browsers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerResponseRecord } from './e2e/service-worker-page.js';
import { bundlePageScript } from './support/end-to-end.js';
import { closeServer } from './support/test-servers.js';

/** The worker: installs at once, claims the page, answers the three paths of the test. */
const WORKER = `
self.addEventListener('install', (event) => {
  self.skipWaiting();
  event.waitUntil(caches.open('sw-test').then((cache) => cache.add('/sw/stored')));
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const { pathname } = new URL(event.request.url);
  if (pathname === '/sw/built')
    event.respondWith(new Response('{}', { headers: { 'Server-Timing': 'built;dur=1' } }));
  else if (pathname === '/sw/network') event.respondWith(fetch('/sw/fresh'));
  else if (pathname === '/sw/from-cache-storage')
    event.respondWith(caches.open('sw-test').then((cache) => cache.match('/sw/stored')));
});`;

let server: Server;
let origin: string;

beforeAll(async () => {
  const pageScript = await bundlePageScript(new URL('./e2e/service-worker-page.ts', import.meta.url));
  let responses = 0;
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (path === '/sw/worker.js' || path === '/sw/page.js') {
      response.setHeader('Content-Type', 'text/javascript');
      response.end(path === '/sw/worker.js' ? WORKER : pageScript);
    } else if (path === '/sw/fresh' || path === '/sw/stored') {
      response.setHeader('Server-Timing', `${path.slice(4)};dur=${++responses}`);
      response.setHeader('Cache-Control', 'no-store');
      response.end('{}');
    } else {
      response.setHeader('Content-Type', 'text/html');
      response.end(
        '<!doctype html><title>sw</title><link rel="icon" href="data:,"><script src="/sw/page.js"></script>',
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => closeServer(server));

/** A response the reader left out as a possibly stale copy. */
const IGNORED = { metrics: [], ignored: 'cache' };

describe.each(ENGINES)('responses a service worker answers, in %s', (engine) => {
  it('are left out as possible copies when nothing came over the network to the page', async () => {
    const browser = await launchEngine(engine);
    let records: WorkerResponseRecord[] | { error: string };
    try {
      const page = await browser.newPage();
      await page.goto(`${origin}/sw/`);
      await page.waitForFunction(() => window.workerRecords !== undefined);
      records = await page.evaluate(() => window.workerRecords);
      expect(await page.errors()).toEqual([]);
    } finally {
      await browser.close();
    }
    if (!Array.isArray(records)) throw new Error(`the page failed: ${records.error}`);
    const byPath = Object.fromEntries(records.map((record) => [record.path, record]));
    // Every engine exposes the Server-Timing of what the worker answered, whatever its source.
    expect(records.map((record) => record.serverTiming)).toEqual([['built'], ['fresh'], ['stored']]);
    // Built by the worker, or a copy from its Cache Storage: nothing transferred, left out as 'cache'.
    expect(byPath['/sw/built']).toMatchObject({ transferSize: 0, reading: IGNORED });
    expect(byPath['/sw/from-cache-storage']).toMatchObject({ transferSize: 0, reading: IGNORED });
    if (engine === 'webkit') {
      // WebKit counts the bytes of a response the worker fetched from the network: read as fresh.
      expect(byPath['/sw/network']?.transferSize).toBeGreaterThan(0);
      expect(byPath['/sw/network']?.reading).toEqual({
        metrics: [{ name: 'fresh', duration: expect.any(Number), description: '' }],
        ignored: null,
      });
    } else {
      // Chromium and Firefox report transferSize 0 for it too: the reader cannot tell it from a copy.
      expect(byPath['/sw/network']).toMatchObject({ transferSize: 0, reading: IGNORED });
    }
  });
});
