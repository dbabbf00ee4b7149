import http from 'node:http';
import type { Span } from '@opentelemetry/api';
import express from 'express';
import onHeaders from 'on-headers';
import { afterEach, describe, expect, it } from 'vitest';
import {
  composeResponseHook,
  getResponseServerTiming,
  instrumentServer,
  NodeServerTiming,
  serverTimingResponseHook,
} from '../src/index.js';
import {
  headerLines,
  headerTraceContext,
  metric,
  metricsOf,
  request,
  serverSpan,
  useTelemetry,
} from './telemetry.js';

const userHookCalls: string[] = [];
const userHook = (span: Span, response: http.IncomingMessage | http.ServerResponse) => {
  userHookCalls.push(response instanceof http.ServerResponse ? 'server' : 'client');
  span.setAttribute('user.hook', true);
  if (response instanceof http.ServerResponse && response.req.url === '/user-hook-throws') {
    throw new Error('the user hook failed');
  }
};
const telemetry = useTelemetry(undefined, {
  responseHook: composeResponseHook(userHook, {
    crossOrigin: '*',
    enabled: (req) => req.url !== '/no-hook',
  }),
  ignoreOutgoingRequestHook: (options) =>
    (options.headers as Record<string, unknown> | undefined)?.['x-untraced'] === '1',
});
afterEach(() => {
  userHookCalls.length = 0;
});

function serve(listener: http.RequestListener): Promise<string> {
  return telemetry.serve(http.createServer(listener));
}

describe("instrumentation-http's responseHook", () => {
  it('attaches every response with the server span, and runs the user hook afterwards', async () => {
    const origin = await serve((_req, res) => {
      telemetry.tracer.startSpan('render').end();
      res.end('no adapter');
    });
    const reply = await request(origin, { headers: { 'x-untraced': '1' } });
    expect(reply.headers['timing-allow-origin']).toBe('*');
    expect(metric(metricsOf(reply), 'render')).toBeDefined();
    const root = await serverSpan(telemetry.exporter, headerTraceContext(reply)!.traceId);
    expect(headerTraceContext(reply)?.spanId).toBe(root.spanContext().spanId);
    expect(root.attributes['user.hook']).toBe(true);
    expect(userHookCalls).toEqual(['server']);
  });

  it('ignores outgoing requests, whose response is an IncomingMessage, but still runs the user hook', async () => {
    const upstreamOrigin = await serve((_req, res) => res.end('upstream'));
    const origin = await serve(async (_req, res) => {
      const fromUpstream = await request(upstreamOrigin);
      res.end(fromUpstream.body);
    });
    const reply = await request(origin, { headers: { 'x-untraced': '1' } });
    expect(reply.body).toBe('upstream');
    expect(metric(metricsOf(reply), 'http')).toBeDefined();
    expect(userHookCalls.sort()).toEqual(['client', 'server', 'server']);
  });

  it('keeps the header when the user hook throws', async () => {
    const origin = await serve((_req, res) => res.end('fine'));
    const reply = await request(`${origin}/user-hook-throws`, { headers: { 'x-untraced': '1' } });
    expect(reply.body).toBe('fine');
    expect(headerTraceContext(reply)).toBeDefined();
  });

  it('gives way to an explicit attach (an adapter), whose options then apply', async () => {
    const adapter = new NodeServerTiming({ enabled: (req) => req.url !== '/off' });
    const origin = await serve((req, res) => {
      const automatic = getResponseServerTiming(res);
      const explicit = adapter.attach(req, res);
      if (req.url === '/on') explicit?.add({ name: 'adapter', duration: 1 });
      res.setHeader('x-replaced', String(explicit !== undefined && explicit !== automatic));
      res.end();
    });
    const on = await request(`${origin}/on`, { headers: { 'x-untraced': '1' } });
    expect(on.headers['x-replaced']).toBe('true');
    expect(on.headers['timing-allow-origin']).toBeUndefined();
    expect(metric(metricsOf(on), 'adapter')).toBeDefined();
    const off = await request(`${origin}/off`, { headers: { 'x-untraced': '1' } });
    expect(off.headers['server-timing']).toBeUndefined();
  });

  it('is a function usable on its own', () => {
    expect(typeof serverTimingResponseHook()).toBe('function');
    expect(() => composeResponseHook('nope' as never)).toThrow(TypeError);
  });
});

describe('instrumentServer', () => {
  it('attaches every response of a plain node:http server', async () => {
    const origin = await telemetry.serve(
      instrumentServer(
        http.createServer((_req, res) => res.end('plain')),
        { exposeHeader: true },
      ),
    );
    const reply = await request(`${origin}/no-hook`, {
      headers: { 'x-untraced': '1', origin: 'https://a.example' },
    });
    expect(reply.body).toBe('plain');
    expect(reply.headers['timing-allow-origin']).toBeUndefined();
    expect(reply.headers['access-control-expose-headers']).toBe('Server-Timing');
    expect(headerTraceContext(reply)).toBeDefined();
  });
});

describe('Express and libraries that patch res.writeHead per response (on-headers)', () => {
  it.each([false, true])(
    'lets an on-headers listener of end() skip the response (trailers: %s)',
    async (trailers) => {
      const timing = new NodeServerTiming({ trailers });
      const origin = await serve((req, res) => {
        timing.attach(req, res);
        telemetry.tracer.startSpan('render').end();
        // Runs inside end(), before the headers go out: skip() must still take everything off.
        onHeaders(res, () => getResponseServerTiming(res)?.skip());
        res.end('body');
      });
      const reply = await request(origin, { headers: { 'x-untraced': '1' } });
      expect(reply.body).toBe('body');
      expect(reply.headers['server-timing']).toBeUndefined();
      expect(reply.headers['timing-allow-origin']).toBeUndefined();
      expect(reply.headers.trailer).toBeUndefined();
    },
  );

  it('lands the header next to on-headers listeners, appends to what they set, and survives a throwing handler', async () => {
    const timing = new NodeServerTiming();
    const app = express();
    app.use((req, res, next) => {
      timing.attach(req, res);
      next();
    });
    app.use((_req, res, next) => {
      onHeaders(res, () => {
        res.setHeader('X-Seen-By-On-Headers', 'yes');
        res.setHeader('Server-Timing', 'app;desc="from on-headers"');
      });
      next();
    });
    app.get('/ok', (_req, res) => {
      telemetry.tracer.startSpan('render').end();
      res.status(201).json({ ok: true });
    });
    app.get('/fail', () => {
      throw new Error('handler failed');
    });
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send(error.message);
    });
    const origin = await serve(app);

    const ok = await request(`${origin}/ok`, { headers: { 'x-untraced': '1' } });
    expect(ok.status).toBe(201);
    expect(ok.headers['x-seen-by-on-headers']).toBe('yes');
    expect(headerLines(ok, 'server-timing')[0]).toMatch(/^app;desc="from on-headers", /);
    expect(metric(metricsOf(ok), 'render')).toBeDefined();
    expect(headerTraceContext(ok)).toBeDefined();

    const failed = await request(`${origin}/fail`, { headers: { 'x-untraced': '1' } });
    expect(failed.status).toBe(500);
    expect(failed.body).toBe('handler failed');
    expect(headerTraceContext(failed)).toBeDefined();
  });
});
