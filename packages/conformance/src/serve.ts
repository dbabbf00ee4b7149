import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on 127.0.0.1, a free port; resolves with the origin and a `close()`. */
export async function listen(server: Server): Promise<{ origin: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Sends one GET through the test's own (uninstrumented) fetch and resolves with the response's
 * `Server-Timing` once the request's spans have ended.
 */
export async function fetchServerTiming(url: string): Promise<{ status: number; header: string }> {
  const response = await fetch(url, { headers: { connection: 'close' } });
  await response.arrayBuffer();
  // Some framework spans end after the response's first byte.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { status: response.status, header: response.headers.get('server-timing') ?? '' };
}
