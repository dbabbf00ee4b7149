import http from 'node:http';
import http2 from 'node:http2';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { parseServerTiming, parseTraceparent } from '@otel-server-timing/core';
import { describe, expect, it } from 'vitest';
import { getResponseServerTiming, instrumentServer, NodeServerTiming } from '../src/index.js';
import { field, rawRequest } from './raw-http.js';
import { useTelemetry } from './telemetry.js';

const telemetry = useTelemetry();

const timing = new NodeServerTiming({ trailers: true });

function laterWork(): Promise<void> {
  const span = telemetry.tracer.startSpan('slow query', { attributes: { 'db.system.name': 'postgresql' } });
  return new Promise((resolve) =>
    setTimeout(() => {
      span.end();
      resolve();
    }, 3),
  );
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function serveHttp1(respond: Handler): Promise<number> {
  const server = http.createServer((req, res) => {
    timing.attach(req, res);
    respond(req, res);
  });
  return Number(new URL(await telemetry.serve(server)).port);
}

async function stream(res: http.ServerResponse): Promise<void> {
  res.write('first,');
  await laterWork();
  getResponseServerTiming(res)?.add({ name: 'render', duration: 1.5 });
  res.end('second');
}

describe('HTTP/1.1 trailers', () => {
  it('declares Trailer and sends what finished after the headers, with the final total, after the chunked body', async () => {
    const port = await serveHttp1((_req, res) => stream(res));
    const reply = await rawRequest(port, 'GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nTE: trailers');
    expect(reply.statusLine).toBe('HTTP/1.1 200 OK');
    expect(reply.chunked).toBe(true);
    expect(reply.body).toBe('first,second');
    expect(field(reply.headers, 'trailer')).toBe('Server-Timing');
    const header = parseServerTiming(field(reply.headers, 'server-timing')!);
    expect(header.find((entry) => entry.name === 'traceparent')).toBeDefined();
    expect(header.find((entry) => entry.name === 'postgresql')).toBeUndefined();
    const trailer = parseServerTiming(field(reply.trailers, 'server-timing')!);
    expect(trailer.map((entry) => entry.name).sort()).toEqual(['postgresql', 'render', 'total']);
    const headerTotal = header.find((entry) => entry.name === 'total')!.duration;
    expect(trailer.find((entry) => entry.name === 'total')!.duration).toBeGreaterThan(headerTotal);
  });

  it('keeps trailers the application added itself', async () => {
    const port = await serveHttp1(async (_req, res) => {
      res.setHeader('Trailer', 'X-Checksum');
      res.write('data');
      await laterWork();
      res.addTrailers({ 'X-Checksum': 'abc' });
      res.end();
    });
    const reply = await rawRequest(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1');
    expect(field(reply.headers, 'trailer')).toBe('X-Checksum, Server-Timing');
    expect(field(reply.trailers, 'x-checksum')).toBe('abc');
    expect(field(reply.trailers, 'server-timing')).toMatch(/postgresql/);
  });

  it.each([
    ['a whole body given to end()', (res: http.ServerResponse) => res.end('whole'), 'HTTP/1.1'],
    [
      'a fixed Content-Length',
      async (res: http.ServerResponse) => {
        res.setHeader('Content-Length', '12');
        res.write('first,');
        await laterWork();
        res.end('second');
      },
      'HTTP/1.1',
    ],
    ['an HTTP/1.0 request', stream, 'HTTP/1.0'],
    ['a HEAD request', stream, 'HTTP/1.1', 'HEAD'],
    ['a 204', (res: http.ServerResponse) => res.writeHead(204).end(), 'HTTP/1.1'],
    [
      'Transfer-Encoding removed by the application',
      (res: http.ServerResponse) => {
        res.removeHeader('Transfer-Encoding');
        return stream(res);
      },
      'HTTP/1.1',
    ],
  ])('skips the trailer silently for %s', async (_case, respond, version, method = 'GET') => {
    const port = await serveHttp1((_req, res) => respond(res));
    const reply = await rawRequest(port, `${method} / ${version}\r\nHost: 127.0.0.1`);
    expect(reply.statusLine).toMatch(/^HTTP\/1\.1 20[04] /);
    expect(field(reply.headers, 'trailer')).toBeUndefined();
    expect(reply.trailers).toEqual([]);
    expect(parseServerTiming(field(reply.headers, 'server-timing')!).map((entry) => entry.name)).toContain(
      'traceparent',
    );
  });
});

type Http2Reply = { headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; body: string };

function http2Request(origin: string, path: string): Promise<Http2Reply> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(origin);
    client.on('error', reject);
    const stream = client.request({ ':path': path });
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (received) => {
      headers = received;
    });
    stream.on('trailers', (received) => {
      trailers = received;
    });
    stream.on('data', (chunk: string) => {
      body += chunk;
    });
    stream.on('end', () => {
      client.close();
      resolve({ headers, trailers, body });
    });
    stream.on('error', reject);
    stream.end();
  });
}

/** An h2c server using the compatibility API; instrumentation-http does not cover http2, so the handler opens the server span. */
async function serveHttp2(
  respond: (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
): Promise<string> {
  const server = http2.createServer((req, res) => {
    const span = telemetry.tracer.startSpan(`${req.method}`, { kind: SpanKind.SERVER });
    res.on('close', () => span.end());
    context.with(trace.setSpan(context.active(), span), () => {
      timing.attach(req, res);
      respond(req, res);
    });
  });
  return telemetry.serve(server);
}

describe('HTTP/2 (compatibility API)', () => {
  it('writes the header into writeHead objects and appends to setHeader values', async () => {
    const origin = await serveHttp2((_req, res) => {
      res.setHeader('server-timing', 'app;dur=2');
      res.writeHead(200, { 'content-type': 'text/plain', 'x-extra': 'yes' });
      res.end('h2');
    });
    const reply = await http2Request(origin, '/');
    expect(reply.body).toBe('h2');
    expect(reply.headers['x-extra']).toBe('yes');
    const header = parseServerTiming(String(reply.headers['server-timing']));
    expect(header[0]).toEqual({ name: 'app', duration: 2, description: '' });
    const traceparent = header.find((entry) => entry.name === 'traceparent');
    expect(parseTraceparent(traceparent!.description)).toBeDefined();
  });

  it('writes the header with the implicit headers of end(), from header arrays, and from flushHeaders', async () => {
    const origin = await serveHttp2((req, res) => {
      // Both work in Node 20+, though @types/node 20 does not declare them.
      if (req.url === '/array') res.writeHead(200, ['x-a', '1', 'server-timing', 'mine;dur=1'] as never);
      if (req.url === '/flush') (res as unknown as { flushHeaders(): void }).flushHeaders();
      res.end('ok');
    });
    for (const path of ['/implicit', '/array', '/flush']) {
      const reply = await http2Request(origin, path);
      const names = parseServerTiming(String(reply.headers['server-timing'])).map((entry) => entry.name);
      expect(names).toContain('traceparent');
      if (path === '/array') expect(names[0]).toBe('mine');
    }
  });

  it('sends what finished after the headers as a trailer', async () => {
    const origin = await serveHttp2(async (_req, res) => {
      res.write('first,');
      await laterWork();
      res.end('second');
    });
    const reply = await http2Request(origin, '/');
    expect(reply.body).toBe('first,second');
    expect(reply.headers.trailer).toBe('Server-Timing');
    const trailer = parseServerTiming(String(reply.trailers['server-timing']));
    expect(trailer.map((entry) => entry.name).sort()).toEqual(['postgresql', 'total']);
  });

  it('instrumentServer attaches every response of an http2 server', async () => {
    const server = instrumentServer(
      http2.createServer((_req, res) => {
        getResponseServerTiming(res)?.add({ name: 'app', duration: 4 });
        res.end('instrumented');
      }),
    );
    const reply = await http2Request(await telemetry.serve(server), '/');
    expect(reply.body).toBe('instrumented');
    expect(reply.headers['server-timing']).toBe('app;dur=4');
  });
});
