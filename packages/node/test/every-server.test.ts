import http from 'node:http';
import { context, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { closeServer, listen, startTestSdk } from '@otel-server-timing/adapter-test-kit';
import { parseServerTiming, readTraceContext } from '@otel-server-timing/core';
import { afterAll, describe, expect, it } from 'vitest';
import { instrumentEveryServer } from '../src/index.js';

// As under `next start`: no instrumentation-http; the framework starts its own SERVER span inside its
// handler, on a server the application never gets hold of, and may write the response after leaving
// the span (Next's middleware responses).
const sdk = startTestSdk();
afterAll(() => sdk.shutdown());

const server = http.createServer((request, response) => {
  const id = new URL(request.url ?? '/', 'http://localhost').searchParams.get('id') ?? '';
  sdk.tracer.startActiveSpan('GET /item', { kind: SpanKind.SERVER, attributes: { id } }, (span) => {
    const query = sdk.tracer.startSpan('SELECT', { attributes: { 'db.system.name': 'postgresql' } });
    setTimeout(() => {
      query.end();
      span.end();
      // Outside any span, and after a turn of the event loop.
      context.with(ROOT_CONTEXT, () => setImmediate(() => response.end(id)));
    }, 2);
  });
});
const base = await listen(server);
afterAll(() => closeServer(server));

async function get(id: string): Promise<string> {
  const response = await fetch(`${base}/?id=${id}`);
  expect(await response.text()).toBe(id);
  return response.headers.get('server-timing') ?? '';
}

describe('instrumentEveryServer', () => {
  it('reaches a server created before it, and ties the header to the span the framework started', async () => {
    const stop = instrumentEveryServer();
    try {
      const header = await get('one');
      const names = parseServerTiming(header).map((metric) => metric.name);
      expect(names).toEqual(['postgresql', 'total', 'traceparent']);
      const exported = sdk.exporter.getFinishedSpans().find((span) => span.attributes.id === 'one');
      expect(readTraceContext(parseServerTiming(header))?.spanId).toBe(exported?.spanContext().spanId);
    } finally {
      stop();
    }
    expect(await get('after-stop')).toBe('');
  });

  it('gives each of many concurrent requests its own span, never another’s', async () => {
    const stop = instrumentEveryServer();
    try {
      const ids = Array.from({ length: 100 }, (_, index) => `r${index}`);
      const headers = await Promise.all(ids.map(get));
      const spans = sdk.exporter.getFinishedSpans();
      for (const [index, id] of ids.entries()) {
        const exported = spans.find((span) => span.attributes.id === id);
        expect(readTraceContext(parseServerTiming(headers[index] ?? ''))?.spanId).toBe(
          exported?.spanContext().spanId,
        );
      }
    } finally {
      stop();
    }
  });
});
