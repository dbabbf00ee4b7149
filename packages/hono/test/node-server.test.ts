import { metricsByName, setUpAdapterSuite, timedSpan } from '@otel-server-timing/adapter-test-kit';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { serverTiming as portableServerTiming } from '../src/index.js';
import { serverTiming as nodeServerTiming } from '../src/node.js';
import type { ServerTimingVariables } from '../src/types.js';
import { serveOnNodeServer } from './support/node-server.js';

// What only Hono on @hono/node-server shows; the shared contract (test/contract.test.ts) covers the
// timings against the exported spans, the caller's traceparent and 500 concurrent requests.
const suite = setUpAdapterSuite(undefined, () => ({}));

const query = (name: string, ms: number) => timedSpan(suite.tracing.tracer, name, ms);

async function listen(app: Hono<{ Variables: ServerTimingVariables }>): Promise<string> {
  return `http://127.0.0.1:${await serveOnNodeServer(suite, app.fetch)}`;
}

const ENTRIES = { 'the Node entry': nodeServerTiming, 'the entry of other runtimes': portableServerTiming };

describe.each(Object.entries(ENTRIES))(
  'serverTiming of %s under @hono/node-server with instrumentation-http',
  (_, serverTiming) => {
    it('streams a body unbuffered: the client has the header and the first chunk before the stream ends', async () => {
      let releaseSecond: () => void = () => {};
      const secondChunkAllowed = new Promise<void>((resolve) => {
        releaseSecond = resolve;
      });
      const app = new Hono<{ Variables: ServerTimingVariables }>();
      app.use(serverTiming());
      app.get('/stream', async (c) => {
        await query('SELECT rows', 2);
        let pulls = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            pulls++;
            if (pulls === 1) {
              controller.enqueue(new TextEncoder().encode('first;'));
              return;
            }
            await secondChunkAllowed;
            controller.enqueue(new TextEncoder().encode('second'));
            controller.close();
          },
        });
        return c.body(body, 200, { 'content-type': 'text/plain' });
      });
      const base = await listen(app);
      let releasedByTimeout = false;
      const safety = setTimeout(() => {
        releasedByTimeout = true;
        releaseSecond();
      }, 5000);
      const response = await fetch(`${base}/stream`);
      const header = response.headers.get('server-timing');
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toBe('first;');
      expect(releasedByTimeout).toBe(false);
      releaseSecond();
      clearTimeout(safety);
      let rest = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        rest += new TextDecoder().decode(chunk.value);
      }
      expect(rest).toBe('second');
      expect(metricsByName(header).postgresql).toBeDefined();
      expect(metricsByName(header).traceparent).toBeDefined();
    });

    it('copies a response whose headers are immutable (straight from fetch()) and keeps its body and status', async () => {
      const app = new Hono<{ Variables: ServerTimingVariables }>();
      app.use(serverTiming());
      app.get('/proxy', async () => {
        const upstreamResponse = await fetch(suite.downstreamUrl);
        expect(() => upstreamResponse.headers.set('x-probe', '1')).toThrow(TypeError);
        return upstreamResponse;
      });
      const base = await listen(app);
      const response = await fetch(`${base}/proxy`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('downstream');
      expect(metricsByName(response.headers.get('server-timing')).traceparent).toBeDefined();
    });
  },
);
