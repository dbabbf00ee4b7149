// The demo service: Express with @otel-server-timing/express. Every response carries a Server-Timing
// header built from the request's OpenTelemetry spans; the page at / reads those headers back from the
// browser's Performance API and draws them next to the browser's own timing.
//   node --import ./tracing.mjs server.mjs     (PORT=3000 by default; PORT=0 picks a free port)
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { announce, httpGet, listenPort } from '@otel-server-timing/example-support';
import { startPostgres } from '@otel-server-timing/example-support/database';
import { serverTiming } from '@otel-server-timing/express';
import { build } from 'esbuild';
import express from 'express';
import pg from 'pg';
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

// A real PostgreSQL that needs no install: PGlite in this process, served on 127.0.0.1 and queried
// through `pg`, whose spans instrumentation-pg makes.
const [pageScript, page, database] = await Promise.all([bundlePageScript(), renderPage(), startPostgres()]);
const pool = new pg.Pool({ connectionString: database.connectionString });
const shipping = await startShippingService(pool);

const app = express();
app.use(serverTiming()); // first: every response below carries the header, the page and its assets too

app.get('/', async (_req, res) => {
  await pool.query('SELECT id, name FROM products WHERE featured ORDER BY id');
  res.set('cache-control', 'no-store').type('html').send(page);
});

app.get('/assets/main.js', (_req, res) => {
  res.set('cache-control', 'no-store').type('js').send(pageScript);
});
app.get('/assets/style.css', (_req, res) => {
  res.sendFile(fileURLToPath(new URL('style.css', pageDirectory)));
});

// Parallel queries: one `postgresql` metric that counts 3, whose duration is their wall-clock union.
app.get('/api/products', async (_req, res) => {
  const [products, prices, stock] = await Promise.all([
    pool.query('SELECT id, name FROM products ORDER BY id'),
    pool.query('SELECT product_id, price FROM prices'),
    pool.query('SELECT product_id, quantity FROM stock'),
  ]);
  // A metric of the application's own: this route reads the database, not a cache.
  res.serverTiming.add({ name: 'cache', description: 'miss' });
  res
    .set('cache-control', 'no-store')
    .json({ products: products.rows, prices: prices.rows, stock: stock.rows });
});

// Sequential queries, then two real calls to the shipping service: one through node:http
// (instrumentation-http), one through fetch (instrumentation-undici); together the `http` metric.
app.get('/api/slow', async (_req, res) => {
  const orders = await pool.query('SELECT id, placed_on FROM orders ORDER BY id');
  const items = await pool.query('SELECT order_id, product_id, quantity FROM order_items');
  const quote = JSON.parse(await httpGet(`${shipping.url}/quote`));
  const pickup = await (await fetch(`${shipping.url}/pickup`)).json();
  res
    .set('cache-control', 'no-store')
    .json({ orders: orders.rows.length, items: items.rowCount, quote, pickup });
});

// One query, and a response the browser may reuse for 15 s: calling it again within that time is served
// from the browser's cache, with the stored (stale) Server-Timing, which the page ignores.
app.get('/api/cache', async (_req, res) => {
  const report = await pool.query('SELECT count(*)::int AS orders FROM orders');
  // private: the browser may keep it (the demo's cache hit), a shared cache may not (it would get no timings).
  res.set('cache-control', 'private, max-age=15').json(report.rows[0]);
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
