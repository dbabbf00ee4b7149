import {
  type AdapterDriver,
  type Route,
  setUpAdapterSuite,
  testEntryPointContract,
} from '@otel-server-timing/adapter-test-kit';
import type { ServerTimingMetric } from '@otel-server-timing/core';
import { describe } from 'vitest';
import { addServerTiming, type FetchServerTimingOptions, withServerTiming } from '../src/index.js';

// The shared contract for the Fetch wrapper around a plain `(Request) => Response` handler, called as a
// Fetch runtime calls it (no server: the wrapper starts the server span with the `tracer` option). No
// framework runs, so there is no framework middleware to time.
const suite = setUpAdapterSuite(undefined, () => ({}));

const withTracer = (options?: object) =>
  ({ ...options, tracer: suite.tracing.tracer }) as FetchServerTimingOptions<Request>;

function driver(): AdapterDriver {
  return {
    owner: '@otel-server-timing/fetch withServerTiming',
    frameworkAttribute: undefined,
    canSkip: false,
    serve: async (options, route: Route) =>
      withServerTiming(async (request: Request) => {
        const headers = new Headers({ 'content-type': 'text/plain' });
        const tools = {
          add: (metric: ServerTimingMetric) => addServerTiming(request, metric),
          setHeader: (name: string, value: string) => headers.set(name, value),
        };
        await route(tools, new URL(request.url).pathname);
        return new Response('ok', { headers });
      }, withTracer(options)),
    setUp: async (options) => {
      withServerTiming(() => new Response('ok'), options as FetchServerTimingOptions<Request>);
    },
  };
}

describe('withServerTiming', () => {
  testEntryPointContract(
    suite,
    driver,
    () => async (handler) =>
      withServerTiming(
        (request: Request) =>
          new Promise<Response>((resolve) =>
            handler(new URL(request.url).pathname, (body) => resolve(new Response(body))),
          ),
        withTracer(),
      ),
  );
});
