import { createServer, type Server } from 'node:http';
import { closeServer, listen } from './listen.js';

/** Path of the downstream service; instrumentation-http ignores it on the server side. */
export const DOWNSTREAM_PATH = '/downstream';

/** A second local HTTP server that answers after `?delay=<ms>`, standing in for another service. */
export async function startDownstream(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const delay = Number(new URL(request.url ?? '/', 'http://localhost').searchParams.get('delay') ?? 0);
    setTimeout(() => response.end('downstream'), delay);
  });
  const origin = await listen(server);
  return { url: `${origin}${DOWNSTREAM_PATH}`, close: () => closeServer(server) };
}
