import type { AddressInfo, Server } from 'node:net';

/**
 * Listens on 127.0.0.1 on a free port and returns the origin, e.g. `http://127.0.0.1:41234`. Takes any
 * `node:net` server: `node:http`, `node:https`, `node:http2`.
 */
export function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

/** Closes a server, dropping its idle keep-alive connections (where the server keeps track of them). */
export function closeServer(server: Server & { closeAllConnections?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
