import http from 'node:http';
import net from 'node:net';
import { context, type Span, trace } from '@opentelemetry/api';
import { parseServerTiming } from '@otel-server-timing/core';
import { describe, expect, it } from 'vitest';
import { getResponseServerTiming, NodeServerTiming, type NodeServerTimingOptions } from '../src/index.js';
import { AdapterServerTiming } from '../src/internal.js';
import {
  headerLines,
  headerTraceContext,
  metric,
  metricsOf,
  type Reply,
  request,
  serverSpan,
  useTelemetry,
} from './telemetry.js';

const telemetry = useTelemetry();

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A server whose handler attaches timing first. */
async function serve(respond: Handler, options?: NodeServerTimingOptions): Promise<string> {
  const timing = new NodeServerTiming(options);
  return telemetry.serve(
    http.createServer((req, res) => {
      timing.attach(req, res);
      respond(req, res);
    }),
  );
}

function databaseSpan(name: string, durationMs: number): Promise<void> {
  const span = telemetry.tracer.startSpan(name, { attributes: { 'db.system.name': 'postgresql' } });
  return new Promise((resolve) =>
    setTimeout(() => {
      span.end();
      resolve();
    }, durationMs),
  );
}

/** The header is valid, carries the request's own server span and a total. */
async function expectOwnHeader(reply: Reply): Promise<void> {
  const traceContext = headerTraceContext(reply);
  expect(traceContext, `Server-Timing: ${headerLines(reply, 'server-timing').join(' | ')}`).toBeDefined();
  const root = await serverSpan(telemetry.exporter, traceContext!.traceId);
  expect(traceContext!.spanId).toBe(root.spanContext().spanId);
  expect(metric(metricsOf(reply), 'total')).toBeDefined();
}

describe('the header on node:http with instrumentation-http', () => {
  it('merges into writeHead header objects and appends to a value set with setHeader', async () => {
    const origin = await serve((_req, res) => {
      res.setHeader('Server-Timing', 'app;dur=1');
      res.writeHead(201, { 'content-type': 'text/plain', 'X-Other': 'yes' });
      res.end('created');
    });
    const reply = await request(origin);
    expect(reply.status).toBe(201);
    expect(reply.headers['x-other']).toBe('yes');
    expect(reply.headers['content-type']).toBe('text/plain');
    const lines = headerLines(reply, 'server-timing');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^app;dur=1, /);
    await expectOwnHeader(reply);
  });

  it('leaves a writeHead header object it merges into unchanged, so one object can serve every response', async () => {
    const shared = { 'content-type': 'text/plain', 'Cache-Control': 'no-store' };
    const origin = await serve((_req, res) => {
      res.writeHead(200, shared);
      res.end('ok');
    });
    for (let round = 0; round < 2; round++) {
      const reply = await request(origin);
      expect(headerLines(reply, 'server-timing')).toHaveLength(1);
      await expectOwnHeader(reply);
    }
    expect(shared).toEqual({ 'content-type': 'text/plain', 'Cache-Control': 'no-store' });
  });

  it('copies every header of a writeHead object it adds to, a `__proto__` one included, as Node sends them', async () => {
    const origin = await serve((_req, res) => {
      // An own `__proto__` key (as JSON.parse makes one): Node sends it like any header.
      res.writeHead(200, JSON.parse('{"content-type": "text/plain", "__proto__": "odd", "x-b": "2"}'));
      res.end('ok');
    });
    const reply = await request(origin);
    expect(reply.rawHeaders).toEqual(expect.arrayContaining(['__proto__', 'odd', 'x-b', '2']));
    expect(headerLines(reply, 'server-timing')).toHaveLength(1);
    await expectOwnHeader(reply);
  });

  it('appends to a Server-Timing value given in a writeHead object without setHeader', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, 'Fine', { 'server-timing': 'cache;desc="hit"', 'x-a': '1' });
      res.end();
    });
    const reply = await request(origin);
    expect(headerLines(reply, 'server-timing')[0]).toMatch(/^cache;desc="hit", /);
    expect(reply.headers['x-a']).toBe('1');
    await expectOwnHeader(reply);
  });

  it('merges into flat header arrays, with and without earlier setHeader, as Node would without it', async () => {
    const respond: Handler = (req, res) => {
      if (req.url === '/progressive') res.setHeader('X-Before', 'kept');
      res.writeHead(200, ['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'Server-Timing', 'app;dur=3']);
      res.end('flat');
    };
    const referenceOrigin = await telemetry.serve(http.createServer(respond));
    const origin = await serve(respond);
    for (const path of ['/only-writehead', '/progressive']) {
      const reply = await request(`${origin}${path}`);
      expect(reply.body).toBe('flat');
      // Node 20 keeps only the last duplicate after setHeader (Node 22 keeps both): the same with or without us.
      const expected = await request(`${referenceOrigin}${path}`);
      expect(reply.headers['set-cookie']).toEqual(expected.headers['set-cookie']);
      expect(headerLines(reply, 'server-timing')).toHaveLength(1);
      expect(headerLines(reply, 'server-timing')[0]).toMatch(/^app;dur=3, /);
      if (path === '/progressive') expect(reply.headers['x-before']).toBe('kept');
      await expectOwnHeader(reply);
    }
  });

  it('merges into nested [name, value] header arrays', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, [
        ['Content-Type', 'text/plain'],
        ['Server-Timing', 'first;dur=1'],
        ['Server-Timing', 'second;dur=2'],
      ]);
      res.end('nested');
    });
    const reply = await request(origin);
    expect(reply.headers['content-type']).toBe('text/plain');
    const metrics = metricsOf(reply);
    expect(metrics.slice(0, 2).map((entry) => entry.name)).toEqual(['first', 'second']);
    await expectOwnHeader(reply);
  });

  it('writes the header with the implicit headers of the first write, and with flushHeaders', async () => {
    const origin = await serve(async (req, res) => {
      if (req.url === '/flush') res.flushHeaders();
      else res.write('a');
      await databaseSpan('after the headers', 2);
      res.end('b');
    });
    for (const path of ['/write', '/flush']) {
      const reply = await request(`${origin}${path}`);
      await expectOwnHeader(reply);
      // The span ended after the first byte: it cannot be in the header.
      expect(metric(metricsOf(reply), 'postgresql')).toBeUndefined();
    }
  });

  it.each([
    ['HEAD', 200, (res: http.ServerResponse) => res.end('ignored body')],
    ['GET', 204, (res: http.ServerResponse) => res.writeHead(204).end()],
    ['GET', 304, (res: http.ServerResponse) => Object.assign(res, { statusCode: 304 }).end()],
    ['GET', 302, (res: http.ServerResponse) => res.writeHead(302, { Location: '/elsewhere' }).end()],
    ['GET', 500, (res: http.ServerResponse) => Object.assign(res, { statusCode: 500 }).end('failed')],
  ])('%s answered %i gets a valid response with the header', async (method, status, respond) => {
    const origin = await serve((_req, res) => respond(res));
    const reply = await request(origin, { method });
    expect(reply.status).toBe(status);
    expect(reply.body).toBe(method === 'HEAD' || status === 204 || status === 304 ? '' : reply.body);
    await expectOwnHeader(reply);
  });

  it('stays quiet when the client disconnects before the response', async () => {
    const failures: unknown[] = [];
    let answered!: () => void;
    const done = new Promise<void>((resolve) => {
      answered = resolve;
    });
    let received!: () => void;
    const handling = new Promise<void>((resolve) => {
      received = resolve;
    });
    const origin = await serve((req, res) => {
      received();
      req.socket.on('close', () => {
        try {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('too late');
        } catch (error) {
          failures.push(error);
        }
        answered();
      });
    });
    const socket = net.connect(Number(new URL(origin).port), '127.0.0.1');
    socket.write('GET /abandoned HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    // Disconnects once the handler has the request, before it answers.
    await handling;
    socket.destroy();
    await done;
    expect(failures).toEqual([]);
  });

  it('does nothing when the headers were sent before attach', async () => {
    const timing = new NodeServerTiming();
    const handles: unknown[] = [];
    const origin = await telemetry.serve(
      http.createServer((req, res) => {
        res.flushHeaders();
        handles.push(timing.attach(req, res));
        res.end('sent');
      }),
    );
    const reply = await request(origin);
    expect(handles).toEqual([undefined]);
    expect(reply.body).toBe('sent');
    expect(reply.headers['server-timing']).toBeUndefined();
  });

  it('does nothing for responses that were not attached', async () => {
    const reply = await request(await telemetry.serve(http.createServer((_req, res) => res.end('plain'))));
    expect(reply.headers['server-timing']).toBeUndefined();
  });
});

describe('the handle', () => {
  it('returns the first handle when attached twice; getResponseServerTiming finds it; add() lands in the header', async () => {
    const timing = new NodeServerTiming();
    const handles: unknown[] = [];
    const origin = await serve((req, res) => {
      handles.push(getResponseServerTiming(res), timing.attach(req, res));
      getResponseServerTiming(res)?.add({ name: 'cache', duration: 2.5, description: 'hit' });
      res.end();
      getResponseServerTiming(res)?.add({ name: 'late', duration: 1 });
    });
    const reply = await request(origin);
    expect(handles[0]).toBeDefined();
    expect(handles[1]).toBe(handles[0]);
    expect(metric(metricsOf(reply), 'cache')).toEqual({ name: 'cache', duration: 2.5, description: 'hit' });
    expect(metric(metricsOf(reply), 'late')).toBeUndefined();
  });

  it('sends nothing after skip(), and skip() after the headers changes nothing', async () => {
    const origin = await serve(
      (req, res) => {
        const handle = getResponseServerTiming(res);
        handle?.add({ name: 'dropped', duration: 1 });
        if (req.url === '/skipped') handle?.skip();
        res.flushHeaders();
        handle?.skip();
        res.end('body');
      },
      { crossOrigin: '*' },
    );
    const [skipped, kept] = await Promise.all([request(`${origin}/skipped`), request(`${origin}/kept`)]);
    expect(skipped.headers['server-timing']).toBeUndefined();
    expect(skipped.headers['timing-allow-origin']).toBeUndefined();
    expect(metric(metricsOf(kept), 'dropped')).toEqual({ name: 'dropped', duration: 1, description: '' });
  });

  it('takes an explicit span or context as the target', async () => {
    const timing = new NodeServerTiming();
    let own: Span | undefined;
    const server = http.createServer((req, res) => {
      // Outside the request's context, e.g. a framework that runs handlers on its own queue.
      const requestContext = context.active();
      context.with(trace.deleteSpan(requestContext), () => {
        timing.attach(req, res, req.url === '/span' ? trace.getSpan(requestContext) : requestContext);
        own = trace.getSpan(requestContext);
        res.end();
      });
    });
    const origin = await telemetry.serve(server);
    for (const path of ['/span', '/context']) {
      const reply = await request(`${origin}${path}`);
      expect(headerTraceContext(reply)?.spanId).toBe(own?.spanContext().spanId);
    }
  });
});

describe('exposure', () => {
  it('does not repeat an origin or a header name the application already lists', async () => {
    const origin = await serve(
      (_req, res) => {
        res.writeHead(200, { 'timing-allow-origin': '*', 'access-control-expose-headers': 'server-timing' });
        res.end();
      },
      { crossOrigin: true, exposeHeader: true },
    );
    const reply = await request(origin, { headers: { origin: 'https://elsewhere.example' } });
    expect(reply.headers['timing-allow-origin']).toBe('*');
    expect(reply.headers['access-control-expose-headers']).toBe('server-timing');
  });

  it('writes nothing when enabled says no', async () => {
    const timing = new NodeServerTiming({ enabled: (req) => req.headers['x-debug'] === '1' });
    const handles: unknown[] = [];
    const server = http.createServer((req, res) => {
      handles.push(timing.attach(req, res));
      res.end();
    });
    const origin = await telemetry.serve(server);
    expect((await request(origin)).headers['server-timing']).toBeUndefined();
    expect((await request(origin, { headers: { 'x-debug': '1' } })).headers['server-timing']).toBeDefined();
    expect(handles[0]).toBeUndefined();
  });

  it('stops recording a request that gets no timings (disabled, or skipped by its route)', async () => {
    const timing = new NodeServerTiming({ enabled: (req) => req.url !== '/disabled' });
    const roots = new Map<string, Span>();
    const server = http.createServer(async (req, res) => {
      if (req.url !== '/unattached') {
        const handle = timing.attach(req, res);
        if (req.url === '/skipped') handle?.skip();
      }
      roots.set(req.url ?? '', trace.getActiveSpan() as Span);
      await databaseSpan('SELECT 1', 1);
      res.end();
    });
    const origin = await telemetry.serve(server);
    const paths = ['/disabled', '/skipped', '/unattached'];
    for (const reply of await Promise.all(paths.map((path) => request(origin + path)))) {
      expect(reply.headers['server-timing']).toBeUndefined();
    }
    // What the processor still holds for each request: the query, only where no one said "no timings".
    const held = paths.map((path) => parseServerTiming(telemetry.processor.header(roots.get(path))));
    expect(held.map((metrics) => metric(metrics, 'postgresql') !== undefined)).toEqual([false, false, true]);
  });

  it('rejects invalid options with a TypeError that names the option and the adapter', () => {
    expect(() => new NodeServerTiming({ trailers: 'yes' as never })).toThrow(
      /@otel-server-timing\/node.*`trailers`/,
    );
    expect(
      () => new AdapterServerTiming({ crossOrigin: 'app.example.com' }, { owner: '@otel-server-timing/koa' }),
    ).toThrow(/@otel-server-timing\/koa.*crossOrigin/);
    expect(() => new NodeServerTiming({ typo: 1 } as never)).toThrow(TypeError);
    expect(() => new NodeServerTiming({ custom: 1 } as never)).toThrow(/unknown option `custom`/);
    expect(
      () => new AdapterServerTiming({ custom: 1 } as never, { owner: 'x', moreOptions: ['custom'] }),
    ).not.toThrow();
  });
});
