import { createServer } from 'node:http';
import { init, ready, startedAt } from './state.mjs';

const port = Number(process.env.PORT ?? 3000);

const server = createServer((_request, response) => {
  if (!ready) {
    response.writeHead(503, { 'content-type': 'text/plain' }).end('not ready');
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain' }).end(`hello (${startedAt})`);
});

server.listen(port, '127.0.0.1', () => {
  init();
  console.log(`ready=${ready}, listening on http://127.0.0.1:${port}`);
});
