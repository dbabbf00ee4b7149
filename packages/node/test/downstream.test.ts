// Folding downstream Server-Timing, explicit setup: one NodeTracerProvider with instrumentation-http and
// -undici, and services on 127.0.0.1 that each write their own header (instrumentServer). The edge calls
// shipping, shipping calls pricing, through node:http or fetch; the edge's header must carry what each
// downstream said, under its prefix, and nothing of another request's calls.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { startTestSdk } from '@otel-server-timing/adapter-test-kit';
import {
  type ParsedServerTimingMetric,
  parseServerTiming,
  readTraceContext,
  ServerTimingSpanProcessor,
} from '@otel-server-timing/core';
import { afterAll, describe, expect, it } from 'vitest';
import { getResponseServerTiming, instrumentServer } from '../src/index.js';

const prefixes = new Map<string, string>();
const sdk = startTestSdk({
  processorOptions: { downstream: { origins: (url) => prefixes.get(url.origin) ?? false } },
  instrumentations: [new HttpInstrumentation(), new UndiciInstrumentation()],
});
// Required after the instrumentation is enabled, so that this is the patched module object.
const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');
const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await sdk.shutdown();
});

type Handler = (url: URL, response: ServerResponse, request: IncomingMessage) => Promise<void>;

/** A service on a free port that writes its own Server-Timing; folded under `prefix` when given. */
async function service(handler: Handler, prefix?: string): Promise<string> {
  const server = instrumentServer(
    http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      handler(url, response, request).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      });
    }),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (prefix !== undefined) prefixes.set(origin, prefix);
  return origin;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A span of the application's own that maps to `postgresql`, lasting `ms`. */
async function query(ms: number): Promise<void> {
  const span = sdk.tracer.startSpan('SELECT rates', {
    kind: SpanKind.CLIENT,
    attributes: { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT' },
  });
  await sleep(ms);
  span.end();
}

/** Calls `url` through node:http (with `agent`, if given) or fetch, and resolves the body. */
function call(client: string, url: string, agent?: import('node:http').Agent): Promise<string> {
  if (client === 'fetch') return fetch(url).then((response) => response.text());
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** A service's own metric saying which request it served, as the downstream of `id`. */
function tag(response: ServerResponse, id: string): void {
  getResponseServerTiming(response)?.add({ name: 'served', duration: 7, description: id });
}

const pricing = await service(async (url, response) => {
  await query(3);
  await sleep(8); // so that the 7 ms it reports fits in the time its caller waits
  tag(response, url.searchParams.get('id') ?? '');
  response.end('price');
}, 'pricing');

const shipping = await service(async (url, response) => {
  await query(2);
  if (url.searchParams.get('chain') === '3') {
    await call(url.searchParams.get('client') ?? 'http', `${pricing}/?id=${url.searchParams.get('id')}`);
  }
  await sleep(8);
  tag(response, url.searchParams.get('id') ?? '');
  response.end('quote');
}, 'shipping');

/** Not opted in: the same service as shipping, on another origin. */
const unlisted = await service(async (url, response) => {
  await query(2);
  await sleep(8);
  tag(response, url.searchParams.get('id') ?? '');
  response.end('quote');
});

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 2 });
afterAll(() => keepAlive.destroy());

const edge = await service(async (url, response) => {
  const target = url.searchParams.get('to') === 'unlisted' ? unlisted : shipping;
  const agent = url.searchParams.get('agent') === 'queue' ? keepAlive : undefined;
  await call(url.searchParams.get('client') ?? 'http', `${target}/${url.search}`, agent);
  response.end('ok');
});

async function edgeHeader(query: string): Promise<ParsedServerTimingMetric[]> {
  const response = await fetch(`${edge}/?${query}`);
  expect(await response.text()).toBe('ok');
  return parseServerTiming(response.headers.get('server-timing') ?? '');
}

const names = (metrics: readonly ParsedServerTimingMetric[]) => metrics.map((metric) => metric.name);
const named = (metrics: readonly ParsedServerTimingMetric[], name: string) =>
  metrics.filter((metric) => metric.name === name);

describe.each(['http', 'fetch'])('downstream Server-Timing through %s', (client) => {
  it('two services: the downstream metrics under its prefix, its total as the server part of the call', async () => {
    const metrics = await edgeHeader(`client=${client}&id=two`);
    expect(names(metrics).sort()).toEqual(
      ['http', 'total', 'traceparent', 'shipping.postgresql', 'shipping.served', 'shipping.total'].sort(),
    );
    expect(named(metrics, 'shipping.served')[0]).toMatchObject({ duration: 7, description: 'two' });
    // The downstream's total is the server part of the call: never longer than the call.
    const [call] = named(metrics, 'http');
    const [downstreamTotal] = named(metrics, 'shipping.total');
    expect(downstreamTotal?.duration).toBeGreaterThan(0);
    expect(downstreamTotal?.duration).toBeLessThanOrEqual((call?.duration ?? 0) + 1);
    // One trace context: the edge's own, not the downstream's.
    expect(named(metrics, 'traceparent')).toHaveLength(1);
  });

  it('three services: what shipping folded from pricing comes through with both prefixes', async () => {
    const metrics = await edgeHeader(`client=${client}&id=three&chain=3`);
    expect(names(metrics)).toEqual(
      expect.arrayContaining([
        'shipping.postgresql',
        'shipping.served',
        'shipping.total',
        'shipping.pricing.postgresql',
        'shipping.pricing.served',
        'shipping.pricing.total',
      ]),
    );
    expect(named(metrics, 'shipping.pricing.served')[0]).toMatchObject({ duration: 7, description: 'three' });
  });

  it('a downstream not opted in: nothing folded', async () => {
    const metrics = await edgeHeader(`client=${client}&id=none&to=unlisted`);
    expect(names(metrics).sort()).toEqual(['http', 'total', 'traceparent']);
  });

  it('concurrent requests to one downstream each get only their own call’s answer', async () => {
    const ids = Array.from({ length: 24 }, (_, index) => `r${index}`);
    const headers = await Promise.all(
      ids.map((id) => edgeHeader(`client=${client}&id=${id}&agent=queue&chain=3`)),
    );
    headers.forEach((metrics, index) => {
      expect(named(metrics, 'shipping.served').map((metric) => metric.description)).toEqual([ids[index]]);
      expect(named(metrics, 'shipping.pricing.served').map((metric) => metric.description)).toEqual([
        ids[index],
      ]);
      expect(named(metrics, 'shipping.total')).toHaveLength(1);
      expect(named(metrics, 'traceparent')).toHaveLength(1);
    });
    const traces = headers.map((metrics) => readTraceContext(metrics)?.traceId);
    expect(new Set(traces).size).toBe(ids.length);
  });
});

describe('the downstream option', () => {
  it.each([
    [{ origins: 'http://shipping' }, /downstream\.origins/],
    [{ origins: ['shipping.internal'] }, /downstream\.origins\[\]/],
    [{ origins: ['https://shipping.internal/api'] }, /downstream\.origins\[\]/],
    [{ origins: [{ origin: 'https://shipping.internal', prefix: 'a.b' }] }, /prefix/],
    [{ origins: [], maxDepth: 0 }, /downstream\.maxDepth/],
    [{ origins: [], depth: 2 }, /unknown option `downstream\.depth`/],
  ])('rejects %j with a TypeError saying what to fix', (downstream, message) => {
    expect(() => new ServerTimingSpanProcessor({ downstream } as never)).toThrow(TypeError);
    expect(() => new ServerTimingSpanProcessor({ downstream } as never)).toThrow(message);
  });
});
