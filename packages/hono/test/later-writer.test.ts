import { context, SpanKind, trace } from '@opentelemetry/api';
import { listenOnLoopback, useTracing } from '@otel-server-timing/adapter-test-kit';
import { parseServerTiming } from '@otel-server-timing/core';
import { withServerTiming } from '@otel-server-timing/fetch';
import { instrumentEveryServer, NodeServerTiming } from '@otel-server-timing/node';
import { describe, expect, it } from 'vitest';

const tracing = useTracing();
const node = new NodeServerTiming();
const handler = withServerTiming(
  async () => new Response('ok', { headers: { 'content-type': 'text/plain' } }),
);

// As under Next.js: the Node response is attached before the Fetch handler runs, a span of the request
// ends after the handler's header was built, and the Node writer writes the response afterwards.
const { url } = await listenOnLoopback(async (request, response) => {
  const root = tracing.tracer.startSpan('GET /', { kind: SpanKind.SERVER });
  const requestContext = trace.setSpan(context.active(), root);
  node.attach(request, response, requestContext);
  await context.with(requestContext, async () => {
    const late = tracing.tracer.startSpan('GET user:3', { attributes: { 'db.system.name': 'redis' } });
    const fetchResponse = await handler(new Request(url));
    late.end();
    response.writeHead(fetchResponse.status, Object.fromEntries(fetchResponse.headers));
    response.end(await fetchResponse.text());
  });
  root.end();
});

// As `next start` with instrumentEveryServer: the response is attached when the request starts, before
// the framework starts the request's root span inside its own handler.
const { url: everyServerUrl } = await listenOnLoopback(async (_request, response) => {
  const root = tracing.tracer.startSpan('GET /', { kind: SpanKind.SERVER });
  await context.with(trace.setSpan(context.active(), root), async () => {
    const late = tracing.tracer.startSpan('GET user:4', { attributes: { 'db.system.name': 'redis' } });
    const fetchResponse = await handler(new Request(everyServerUrl));
    late.end();
    response.writeHead(fetchResponse.status, Object.fromEntries(fetchResponse.headers));
    response.end(await fetchResponse.text());
  });
  root.end();
});

async function metricNames(target: string): Promise<string[]> {
  const response = await fetch(target);
  await response.text();
  return parseServerTiming(response.headers.get('server-timing') ?? '').map((metric) => metric.name);
}

describe('a Fetch handler whose response a Node writer writes afterwards', () => {
  it('leaves the request recorded when instrumentEveryServer attached it before its root span started', async () => {
    const stop = instrumentEveryServer();
    let names: string[];
    try {
      names = await metricNames(everyServerUrl);
    } finally {
      stop();
    }
    expect(names).toContain('redis');
    expect(names.filter((name) => name === 'total')).toHaveLength(1);
  });

  it('leaves the request recorded, so the Node header shows the spans that ended in between', async () => {
    const response = await fetch(url);
    await response.text();
    const names = parseServerTiming(response.headers.get('server-timing') ?? '').map((metric) => metric.name);
    expect(names).toContain('redis');
    expect(names.filter((name) => name === 'total')).toHaveLength(1);
    expect(names.filter((name) => name === 'traceparent')).toHaveLength(1);
  });
});
