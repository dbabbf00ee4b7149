import http from 'node:http';
import http2 from 'node:http2';
import { Socket } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { expect, it } from 'vitest';
import { NodeServerTiming } from '../src/index.js';
import { AdapterServerTiming, interceptResponses, removeResponseInterception } from '../src/internal.js';
import { field, rawRequest } from './raw-http.js';
import { request, useTelemetry } from './telemetry.js';

// The entry the framework adapters build on: their own request for the per-request options, and an
// interception of writeHead/end that can be taken out again.

const telemetry = useTelemetry();

const NODE_WRITE_HEAD = http.ServerResponse.prototype.writeHead;
const NODE_END = http.ServerResponse.prototype.end;
const NODE_HTTP2_WRITE_HEAD = http2.Http2ServerResponse.prototype.writeHead;

/** A framework's request object: what its users' `enabled`/`crossOrigin`/`descriptions` expect. */
type FrameworkRequest = { route: string; raw: http.IncomingMessage };

it("hands the adapter's own request to every per-request option, on concurrent requests", async () => {
  const seen: string[] = [];
  const timing = new AdapterServerTiming<FrameworkRequest>(
    {
      enabled: (request) => {
        seen.push(`enabled ${request.route}`);
        return request.route !== '/off';
      },
      crossOrigin: (request) => (request.route === '/shared' ? '*' : false),
      descriptions: (request) => request.route === '/shared',
    },
    { owner: 'test adapter' },
  );
  const server = http.createServer((raw, response) => {
    const route = new URL(raw.url ?? '/', 'http://x').pathname;
    // The framework's request is a new object per request: nothing is shared between concurrent ones.
    setTimeout(() => {
      timing.attach({ route, raw }, raw, response);
      response.end(route);
    }, Math.random() * 5);
  });
  const origin = await telemetry.serve(server);
  const [off, shared, other] = await Promise.all(
    ['/off', '/shared', '/other'].map((path) => request(`${origin}${path}`)),
  );
  expect(off!.headers['server-timing']).toBeUndefined();
  expect(shared!.headers['timing-allow-origin']).toBe('*');
  expect(shared!.headers['server-timing']).toMatch(/traceparent/);
  expect(other!.headers['timing-allow-origin']).toBeUndefined();
  expect(other!.headers['server-timing']).toMatch(/traceparent/);
  expect(seen.sort()).toEqual(['enabled /off', 'enabled /other', 'enabled /shared']);
});

it('takes the writeHead/end interception out again, and puts it back', async () => {
  const timing = new NodeServerTiming();
  expect(http.ServerResponse.prototype.writeHead).not.toBe(NODE_WRITE_HEAD);
  expect(removeResponseInterception()).toBe(true);
  expect(http.ServerResponse.prototype.writeHead).toBe(NODE_WRITE_HEAD);
  expect(http.ServerResponse.prototype.end).toBe(NODE_END);
  expect(http2.Http2ServerResponse.prototype.writeHead).toBe(NODE_HTTP2_WRITE_HEAD);
  /** Whether each response came with its timing slot from Node, before the handler ran, and it was empty. */
  const slotted: boolean[] = [];
  const server = http.createServer((req, res) => {
    const slot = Object.getOwnPropertySymbols(res).find((key) =>
      key.description?.includes('response-timing'),
    );
    // The slot is written twice as it is given (see giveTimingSlot): it must end up empty, not `null`.
    slotted.push(slot !== undefined && (res as unknown as Record<symbol, unknown>)[slot] === undefined);
    timing.attach(req, res);
    res.end('ok');
  });
  const origin = await telemetry.serve(server);
  // Attached, but nothing writes the header without the interception.
  expect((await request(origin)).headers['server-timing']).toBeUndefined();
  interceptResponses();
  expect((await request(origin)).headers['server-timing']).toMatch(/traceparent/);
  // The interception also gives responses their slot as Node creates them, and takes that back too.
  expect(slotted).toEqual([false, true]);
});

it('leaves the interception in place when something wrapped writeHead after it', () => {
  interceptResponses();
  const prototype = http.ServerResponse.prototype;
  const ours = prototype.writeHead;
  const later = function writeHead(this: http.ServerResponse, ...args: unknown[]) {
    return (ours as (...args: unknown[]) => http.ServerResponse).apply(this, args);
  };
  prototype.writeHead = later as typeof prototype.writeHead;
  try {
    expect(removeResponseInterception()).toBe(false);
    expect(prototype.writeHead).toBe(later);
  } finally {
    prototype.writeHead = ours;
  }
  expect(removeResponseInterception()).toBe(true);
  expect(prototype.writeHead).toBe(NODE_WRITE_HEAD);
});

it("announces the response as its request's later writer, unless the caller says it did", () => {
  const timing = new AdapterServerTiming<http.IncomingMessage>(undefined, { owner: 'test adapter' });
  const announced = (laterWriterAnnounced?: boolean): boolean => {
    const root = telemetry.tracer.startSpan('GET', { kind: SpanKind.SERVER });
    const request = new http.IncomingMessage(new Socket());
    request.headers = {};
    timing.attach(request, request, new http.ServerResponse(request), root, laterWriterAnnounced);
    const noted = telemetry.processor.hasLaterWriter(root);
    root.end();
    return noted;
  };
  expect(announced()).toBe(true);
  expect(announced(true)).toBe(false);
});

it('installs its own interception beside one of another version, which it leaves alone', () => {
  expect(removeResponseInterception()).toBe(true);
  const prototype = http.ServerResponse.prototype as unknown as Record<symbol, unknown>;
  // What a copy of the package from before `v2` leaves on the prototype (its wrappers aside).
  const older = Symbol.for('@otel-server-timing/node.intercepted/v1');
  prototype[older] = { originals: {}, wrappers: {} };
  try {
    interceptResponses();
    expect(http.ServerResponse.prototype.writeHead).not.toBe(NODE_WRITE_HEAD);
    expect(removeResponseInterception()).toBe(true);
    expect(prototype[older]).toEqual({ originals: {}, wrappers: {} });
  } finally {
    delete prototype[older];
  }
});

// Last: once an adapter of this copy asked for trailers, every re-install wraps `end` again.
it('wraps end only once an adapter asks for trailers, and takes that out again too', async () => {
  interceptResponses();
  new NodeServerTiming();
  expect(http.ServerResponse.prototype.end).toBe(NODE_END);
  const timing = new NodeServerTiming({ trailers: true });
  expect(http.ServerResponse.prototype.end).not.toBe(NODE_END);
  const server = http.createServer((req, res) => {
    timing.attach(req, res);
    res.write('first');
    setTimeout(() => {
      telemetry.tracer.startSpan('late').end();
      res.end('second');
    }, 2);
  });
  const port = Number(new URL(await telemetry.serve(server)).port);
  const reply = await rawRequest(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1');
  expect(field(reply.headers, 'trailer')).toBe('Server-Timing');
  expect(field(reply.trailers, 'server-timing')).toMatch(/late/);
  expect(removeResponseInterception()).toBe(true);
  expect(http.ServerResponse.prototype.end).toBe(NODE_END);
  interceptResponses();
  expect(http.ServerResponse.prototype.end).not.toBe(NODE_END);
});
