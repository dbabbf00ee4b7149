// The demo service: Express with @otel-server-timing/express. Every response carries a Server-Timing
// header built from the request's OpenTelemetry spans; the page at / reads those headers back from the
// browser's Performance API and draws them next to the browser's own timing.
//   node --import ./tracing.mjs server.mjs     (PORT=3000 by default; PORT=0 picks a free port)
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { announce, httpGet, listenPort, query } from '@otel-server-timing/example-support';
import { serverTiming } from '@otel-server-timing/express';
import { build } from 'esbuild';
import express from 'express';
import { startShippingService } from './shipping-service.mjs';

const pageDirectory = new URL('./page/', import.meta.url);

/** The page's script with @otel-server-timing/browser, bundled once at start-up (a few milliseconds). */
async function bundlePageScript() {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('main.js', pageDirectory))],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/** The page, with the trace link template (DEMO_TRACE_URL, e.g. http://localhost:16686/trace/{traceId}). */
async function renderPage() {
  const template = await readFile(new URL('index.html', pageDirectory), 'utf8');
  const traceUrl = (process.env.DEMO_TRACE_URL ?? '').replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  return template.replace('{{traceUrl}}', traceUrl);
}

const [pageScript, page, shipping] = await Promise.all([
  bundlePageScript(),
  renderPage(),
  startShippingService(),
]);

const app = express();
app.use(serverTiming()); // first: every response below carries the header, the page and its assets too

app.get('/', async (_req, res) => {
  await query('GET session', 3, 'redis');
  await query('SELECT featured_products', 9);
  res.set('cache-control', 'no-store').type('html').send(page);
});

app.get('/assets/main.js', (_req, res) => {
  res.set('cache-control', 'no-store').type('js').send(pageScript);
});
app.get('/assets/style.css', (_req, res) => {
  res.sendFile(fileURLToPath(new URL('style.css', pageDirectory)));
});

// Parallel queries: one `postgresql` metric whose duration is their wall-clock union, desc="3 spans".
app.get('/api/products', async (_req, res) => {
  await query('GET products:v2', 2, 'redis');
  await Promise.all([query('SELECT products', 24), query('SELECT prices', 16), query('SELECT stock', 11)]);
  res.serverTiming.add({ name: 'cache', description: 'miss' });
  res.set('cache-control', 'no-store').json({ products: ['tea', 'coffee', 'cocoa'] });
});

// Sequential queries, then a real outgoing HTTP call to the shipping service (the `http` metric).
app.get('/api/slow', async (_req, res) => {
  await query('SELECT orders', 38);
  await query('SELECT order_items', 21);
  const quote = JSON.parse(await httpGet(`${shipping.url}/quote`));
  res.set('cache-control', 'no-store').json({ orders: 2, quote });
});

// A cache hit on the server, and a response the browser may reuse for 15 s: calling it again within that
// time is served from the browser's cache, with the stored (stale) Server-Timing, which the page ignores.
app.get('/api/cache', async (_req, res) => {
  await query('GET report:today', 2, 'redis');
  res.serverTiming.add({ name: 'cache', description: 'hit' });
  res.set('cache-control', 'max-age=15').json({ visits: 1280 });
});

const { OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT } = process.env;
announce(
  app.listen(listenPort(), '127.0.0.1'),
  '/api/products',
  [
    'Open the URL above in a browser.',
    OTEL_TRACES_EXPORTER === 'none' ? '' : 'Every span is printed below, one line each.',
    OTEL_EXPORTER_OTLP_ENDPOINT
      ? `Spans are also sent over OTLP/HTTP to ${OTEL_EXPORTER_OTLP_ENDPOINT}.`
      : '',
  ]
    .filter(Boolean)
    .join(' '),
);
