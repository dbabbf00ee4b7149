// Folding downstream Server-Timing, explicit setup: one NodeTracerProvider with instrumentation-http and
// -undici, and services on 127.0.0.1 that each write their own header (instrumentServer). The edge calls
// shipping, shipping calls pricing, through node:http or fetch; the edge's header must carry what each
// downstream said, under its prefix, and nothing of another request's calls.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
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
  processorOptions: { downstream: (url) => prefixes.get(url.origin) ?? false },
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
async function service(
  handler: Handler,
  prefix?: string,
  options?: Parameters<typeof instrumentServer>[1],
): Promise<string> {
  const server = instrumentServer(
    http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      handler(url, response, request).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      });
    }),
    options,
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

/** Raw answers of a hostile downstream, by path: whatever it sends, the edge must stay as it was. */
const HOSTILE_ANSWERS: Record<string, Buffer> = {
  // Over Node's and undici's 16 KB header limit.
  '/huge': answer(`Server-Timing: ${'a;dur=1;desc="xxxxxxxxxxxxxxxx", '.repeat(1200)}z\r\n`),
  // 10,000 metrics, within the limit the caller raises for it, claiming far more time than the call took.
  '/many': answer(
    `Server-Timing: ${Array.from({ length: 10_000 }, (_, index) => `m${index};dur=9999999`).join(',')}\r\n`,
  ),
  '/crlf': answer('Server-Timing: cr;dur=1;desc="a\rb", folded;dur=2\r\n more;dur=3\r\n'),
  '/utf8': Buffer.concat([
    Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nServer-Timing: bad'),
    Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
    Buffer.from(';dur=4;desc="'),
    Buffer.from([0xe2, 0x28, 0xa1, 0x80]),
    Buffer.from('", ok;dur=5;desc="caf'),
    Buffer.from([0xc3, 0xa9]),
    Buffer.from('"\r\n\r\n'),
  ]),
  '/trace': answer(
    'Server-Timing: traceparent;desc="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", ' +
      'trace;desc=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01, total;dur=1e400, ' +
      `long;dur=1e9, neg;dur=-5, ${'deep.'.repeat(5)}x;dur=1\r\n`,
  ),
  // Headers that never end, and headers whose body never ends.
  '/never-header': Buffer.from('HTTP/1.1 200 OK\r\nServer-Timing: stuck;dur=1'),
  '/never-body': Buffer.from(
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nServer-Timing: slow;dur=5\r\n\r\n1\r\nx\r\n',
  ),
};

function answer(headerLines: string): Buffer {
  return Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: 0\r\n${headerLines}\r\n`, 'latin1');
}

const hostileSockets = new Set<Socket>();
const hostileServer = createTcpServer((socket) => {
  hostileSockets.add(socket);
  socket.on('close', () => hostileSockets.delete(socket)).on('error', () => {});
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
    if (!received.includes('\r\n\r\n')) return;
    const path = received.split(' ')[1] ?? '';
    socket.write(HOSTILE_ANSWERS[path] ?? answer(''));
    received = '';
  });
});
await new Promise<void>((resolve) => hostileServer.listen(0, '127.0.0.1', resolve));
const hostile = `http://127.0.0.1:${(hostileServer.address() as AddressInfo).port}`;
prefixes.set(hostile, 'evil');
afterAll(async () => {
  for (const socket of hostileSockets) socket.destroy();
  await new Promise((resolve) => hostileServer.close(resolve));
});

/**
 * What an application does with a call it does not trust: it waits for the response headers at most
 * 500 ms, reads no body, and answers its own client whatever happened.
 */
async function callForHeaders(client: string, url: string): Promise<void> {
  if (client === 'fetch') {
    const response = await fetch(url, { signal: AbortSignal.timeout(500) });
    await response.body?.cancel();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const request = http.get(url, { agent: false, maxHeaderSize: 1 << 20, timeout: 500 }, (response) => {
      response.on('close', () => setImmediate(resolve)).destroy();
    });
    request.on('timeout', () => request.destroy(new Error('timed out'))).on('error', reject);
  });
}

const edge = await service(async (url, response) => {
  const mode = url.searchParams.get('hostile');
  if (mode !== null) {
    await callForHeaders(url.searchParams.get('client') ?? 'http', `${hostile}/${mode}`).catch(() => {});
    response.end('ok');
    return;
  }
  const target = url.searchParams.get('to') === 'unlisted' ? unlisted : shipping;
  const agent = url.searchParams.get('agent') === 'queue' ? keepAlive : undefined;
  await call(url.searchParams.get('client') ?? 'http', `${target}/${url.search}`, agent);
  response.end('ok');
});

/** Sends its header first, then calls shipping: what shipping answers can only go into the trailer. */
const streamingEdge = await service(
  async (url, response) => {
    response.write('first,');
    await call('http', `${shipping}/?id=${url.searchParams.get('id')}`);
    response.end('last');
  },
  undefined,
  { trailers: true },
);

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

describe('an answer that arrives after the header went out', () => {
  it('goes into the Server-Timing trailer', async () => {
    const { header, trailer } = await new Promise<{ header: string; trailer: string }>((resolve, reject) => {
      http
        .get(`${streamingEdge}/?id=late`, { headers: { te: 'trailers' } }, (response) => {
          response.resume().on('end', () =>
            resolve({
              header: String(response.headers['server-timing']),
              trailer: String(response.trailers['server-timing']),
            }),
          );
        })
        .on('error', reject);
    });
    expect(names(parseServerTiming(header)).filter((name) => name.startsWith('shipping.'))).toEqual([]);
    const late = parseServerTiming(trailer);
    expect(names(late)).toEqual(expect.arrayContaining(['shipping.served', 'shipping.total']));
    expect(named(late, 'shipping.served')[0]?.description).toBe('late');
  });
});

describe.each(['http', 'fetch'])('a hostile downstream, called through %s', (client) => {
  it.each(Object.keys(HOSTILE_ANSWERS).map((path) => path.slice(1)))(
    '%s: changes nothing but its own folded entries',
    async (mode) => {
      const response = await fetch(`${edge}/?hostile=${mode}&client=${client}`);
      expect(await response.text()).toBe('ok');
      const header = response.headers.get('server-timing') ?? '';
      expect(header).toMatch(/^[\x20-\x7e]+$/);
      expect(header.length).toBeLessThanOrEqual(1024);
      const metrics = parseServerTiming(header);
      // The edge's own entries: its call (unless the call is still running), one total, its own trace.
      const own = metrics.filter((metric) => !metric.name.startsWith('evil.'));
      expect(names(own).filter((name) => name !== 'http')).toEqual(['total', 'traceparent']);
      expect(named(own, 'http').length).toBeLessThanOrEqual(1);
      expect(readTraceContext(metrics)?.traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
      const folded = metrics.filter((metric) => metric.name.startsWith('evil.'));
      expect(metrics.length - 2).toBeLessThanOrEqual(16);
      const call = named(metrics, 'http')[0]?.duration ?? Number.POSITIVE_INFINITY;
      for (const metric of folded) {
        expect(metric.name).not.toMatch(/^evil\.(traceparent|trace)$/i);
        // No more levels than the default depth (2): one prefix of ours, at most one of the downstream's.
        expect(metric.name.split('.').length).toBeLessThanOrEqual(3);
        expect(metric.duration).toBeLessThanOrEqual(call + 1);
      }
      if (mode === 'never-body') expect(names(folded)).toEqual(['evil.slow']);
      if (mode === 'utf8') expect(folded.length).toBeGreaterThan(0);
      if (mode === 'many' && client === 'http') expect(folded.length).toBeGreaterThan(0);
      if (mode === 'trace') expect(names(folded).sort()).toEqual(['evil.long', 'evil.neg', 'evil.total']);
    },
  );
});

describe('the downstream options', () => {
  it.each([
    [{ downstream: 'http://shipping' }, /option `downstream` must be a list of origins/],
    [{ downstream: ['shipping.internal'] }, /option `downstream\[\]` must be an origin/],
    [{ downstream: ['https://shipping.internal/api'] }, /option `downstream\[\]` must be an origin/],
    [{ downstream: [{ origin: 'https://shipping.internal', prefix: 'a.b' }] }, /prefix/],
    [{ downstream: [], downstreamMaxDepth: 0 }, /option `downstreamMaxDepth` must be an integer from 1/],
  ])('rejects %j with a TypeError saying what to fix', (options, message) => {
    expect(() => new ServerTimingSpanProcessor(options as never)).toThrow(TypeError);
    expect(() => new ServerTimingSpanProcessor(options as never)).toThrow(message);
  });
});
