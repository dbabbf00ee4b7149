import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { type AdapterSuite, closeServer } from '@otel-server-timing/adapter-test-kit';

/**
 * Serves `fetch` with @hono/node-server on 127.0.0.1 (a free port), on node:http as instrumentation-http
 * patched it, so its server spans are the requests' roots; closed after the test. Resolves to the port.
 */
export function serveOnNodeServer(
  suite: AdapterSuite<unknown>,
  fetch: Parameters<typeof serve>[0]['fetch'],
): Promise<number> {
  return new Promise((resolve) => {
    const server = serve(
      { fetch, port: 0, hostname: '127.0.0.1', createServer: suite.tracing.http.createServer },
      (info) => resolve(info.port),
    ) as Server;
    suite.afterTest(() => closeServer(server));
  });
}
