import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { ServerTimingSpanProcessor } from '../src/processor.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
  return process.memoryUsage().heapUsed;
}

const REQUESTS = 100_000;
const MB = 1024 * 1024;

describe('memory', () => {
  it('keeps nothing once 100k requests’ spans are gone, even roots that never end', async () => {
    const processor = new ServerTimingSpanProcessor();
    const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('memory');
    const sampledRoots: WeakRef<object>[] = [];

    const runRequests = (count: number) => {
      for (let i = 0; i < count; i++) {
        const root = tracer.startSpan('GET /', { kind: SpanKind.SERVER });
        const ctx = trace.setSpan(ROOT_CONTEXT, root);
        const query = tracer.startSpan('SELECT', { attributes: { 'db.system.name': 'postgresql' } }, ctx);
        query.end();
        tracer.startSpan(`handler ${i % 50}`, {}, ctx).end();
        processor.header(ctx);
        if (i % 10 !== 0) root.end(); // one request in ten never ends its root
        if (i % 100 === 0) sampledRoots.push(new WeakRef(root));
      }
    };

    runRequests(2_000); // warm up caches and JIT before measuring
    sampledRoots.length = 0;
    const before = await settledHeap();
    runRequests(REQUESTS);
    const after = await settledHeap();

    expect(sampledRoots).toHaveLength(REQUESTS / 100);
    expect(sampledRoots.filter((ref) => ref.deref() !== undefined)).toEqual([]);
    expect((after - before) / MB).toBeLessThan(4);
  }, 60_000);
});
