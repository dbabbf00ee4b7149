// The same small node:http app for every setup in this folder. It knows nothing of the setup: it only
// attaches @otel-server-timing/node to each response, which reads whatever tracer provider is registered.
//   node --import ./node-sdk.mjs app.mjs           serve on http://127.0.0.1:3000 (PORT to change)
//   node --import ./node-sdk.mjs app.mjs --once    request itself once, print the header, exit
import { createServer } from 'node:http';
import { announce, httpGet, listenPort, query, sleep } from '@otel-server-timing/example-support';
import { NodeServerTiming } from '@otel-server-timing/node';

const serverTiming = new NodeServerTiming();
const once = process.argv.includes('--once');

const server = createServer(async (request, response) => {
  serverTiming.attach(request, response);
  if (request.url === '/stock') {
    await sleep(4);
    response.end('{"tea":3}');
    return;
  }
  await Promise.all([query('SELECT products', 12), query('SELECT prices', 8)]);
  await httpGet(`http://${request.headers.host}/stock`);
  response.end('Look at the Server-Timing header of this response.\n');
});

if (once) {
  server.listen(0, '127.0.0.1', async () => {
    const response = await fetch(`http://127.0.0.1:${server.address().port}/`);
    await response.text();
    console.log(`Server-Timing: ${response.headers.get('server-timing')}`);
    server.close();
  });
} else {
  announce(server.listen(listenPort(), '127.0.0.1'), '/');
}
