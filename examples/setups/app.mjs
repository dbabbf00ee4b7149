// The same small node:http app for every setup in this folder. It knows nothing of the setup: it only
// attaches @otel-server-timing/node to each response, which reads whatever tracer provider is registered.
//   node --import ./node-sdk.mjs app.mjs           serve on http://127.0.0.1:3000 (PORT to change)
//   node --import ./node-sdk.mjs app.mjs --once    request itself once, print the header, exit
import { createServer } from 'node:http';
import { announce, httpGet, listenPort } from '@otel-server-timing/example-support';
import { openPostgres } from '@otel-server-timing/example-support/database';
import { NodeServerTiming } from '@otel-server-timing/node';
import pg from 'pg';

// A real PostgreSQL, queried through `pg`: DATABASE_URL's, else PGlite in this process (nothing to install).
const database = await openPostgres();
const pool = new pg.Pool({ connectionString: database.connectionString });

const serverTiming = new NodeServerTiming();
const once = process.argv.includes('--once');

const server = createServer(async (request, response) => {
  serverTiming.attach(request, response);
  if (request.url === '/stock') {
    const stock = await pool.query('SELECT product_id, quantity FROM stock');
    response.end(JSON.stringify(stock.rows));
    return;
  }
  await Promise.all([
    pool.query('SELECT id, name FROM products ORDER BY id'),
    pool.query('SELECT product_id, price FROM prices'),
  ]);
  await httpGet(`http://${request.headers.host}/stock`);
  response.end('Look at the Server-Timing header of this response.\n');
});

if (once) {
  server.listen(0, '127.0.0.1', async () => {
    const response = await fetch(`http://127.0.0.1:${server.address().port}/`);
    await response.text();
    console.log(`Server-Timing: ${response.headers.get('server-timing')}`);
    server.close();
    await pool.end();
    await database.stop();
  });
} else {
  announce(server.listen(listenPort(), '127.0.0.1'), '/');
}
