import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Context, context, SpanKind, trace } from '@opentelemetry/api';
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

/**
 * Serves one request as Next.js does: a root span, the Fetch handler run inside it, a span of the request
 * that ends after the handler's header was built, then the Node response written from the Fetch one.
 * `attach` runs once the root exists (an adapter's or the hook's order).
 */
function serveLikeNext(
  attach?: (request: IncomingMessage, response: ServerResponse, target: Context) => void,
) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const root = tracing.tracer.startSpan('GET /', { kind: SpanKind.SERVER });
    const requestContext = trace.setSpan(context.active(), root);
    attach?.(request, response, requestContext);
    await context.with(requestContext, async () => {
      const late = tracing.tracer.startSpan('GET user', { attributes: { 'db.system.name': 'redis' } });
      const fetchResponse = await handler(new Request('http://127.0.0.1/'));
      late.end();
      response.writeHead(fetchResponse.status, Object.fromEntries(fetchResponse.headers));
      response.end(await fetchResponse.text());
    });
    root.end();
  };
}

// The Node response attached explicitly, before the Fetch handler runs.
const { url } = await listenOnLoopback(
  serveLikeNext((request, response, target) => node.attach(request, response, target)),
);
// As `next start` with instrumentEveryServer: attached when the request starts, before the root exists.
const { url: everyServerUrl } = await listenOnLoopback(serveLikeNext());

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
