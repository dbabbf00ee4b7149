import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { answerServerTiming, closeServer } from './test-servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of a second server on 127.0.0.1: cross-origin for the test page. */
    crossOrigin: string;
  }
}

/** Starts the cross-origin server that the browser tests fetch from. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = createServer((request, response) => {
    if (!answerServerTiming(request, response)) {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  project.provide('crossOrigin', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  // Vitest tears this down before it closes the browsers, which still hold connections to it.
  return () => closeServer(server);
}
