import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import {
  type AdapterSuite,
  closeServer,
  listen,
  setUpAdapterSuite,
} from '@otel-server-timing/adapter-test-kit';
import type { Express } from 'express';

export type ExpressFactory = typeof import('express');

/**
 * The adapter suite over the Express versions under test, each loaded under its real module name (a
 * workspace package that depends on it) so that instrumentation-express patches it: Express 5 and 4, and
 * with `rangeFloor` also 4.17.0, the floor of the peer range. `serve` listens with an app and closes the
 * server after the test.
 */
export function setUpExpressSuite({ rangeFloor }: { rangeFloor: boolean }): {
  suite: AdapterSuite<ExpressFactory>;
  serve: (app: Express) => Promise<string>;
} {
  const suite = setUpAdapterSuite<ExpressFactory>(new ExpressInstrumentation(), () => {
    const requireHere = createRequire(import.meta.url);
    return {
      'express 5': requireHere('express'),
      'express 4': requireHere('@otel-server-timing/test-express4'),
      ...(rangeFloor ? { 'express 4.17.0': requireHere('@otel-server-timing/test-express417') } : {}),
    };
  });
  function serve(app: Express): Promise<string> {
    const server = createServer(app);
    suite.afterTest(() => closeServer(server));
    return listen(server);
  }
  return { suite, serve };
}
