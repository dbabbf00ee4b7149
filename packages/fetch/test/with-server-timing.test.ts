import { context, INVALID_SPAN_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  expectHeaderMatchesSpans,
  listenOnLoopback,
  metricsByName,
  serverSpans,
  sleep,
  timedSpan,
  useTracing,
} from '@otel-server-timing/adapter-test-kit';
import { parseServerTiming, readTraceContext } from '@otel-server-timing/core';
import { describe, expect, it } from 'vitest';
import { addServerTiming, FetchServerTiming, withServerTiming } from '../src/index.js';

const tracing = useTracing();
let releaseUpstream: () => void = () => {};
// Streams one chunk, then the second only when the test allows it.
const { url: upstreamUrl } = await listenOnLoopback((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': 'yes' });
  response.write('first;');
  new Promise<void>((resolve) => {
    releaseUpstream = resolve;
  }).then(() => response.end('second'));
});

const query = (ms: number) => timedSpan(tracing.tracer, 'GET user:1', ms, { 'db.system.name': 'redis' });

describe('withServerTiming around a plain (Request) => Response handler', () => {
  it('starts a server span with the tracer option and writes its timings and the handler metrics', async () => {
    const handler = withServerTiming(
      async (request: Request) => {
        await Promise.all([query(2), query(4)]);
        addServerTiming(request, { name: 'render', duration: 1.5, description: 'template' });
        return new Response('hello', { headers: { 'content-type': 'text/plain' } });
      },
      { tracer: tracing.tracer },
    );
    const response = await handler(new Request('https://shop.example/api/cart?id=1', { method: 'POST' }));
    expect(response).toBeInstanceOf(Response);
    expect(await response.text()).toBe('hello');
    const spans = tracing.exporter.getFinishedSpans();
    const [server] = serverSpans(spans);
    expect(server?.name).toBe('POST');
    expect(server?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/api/cart',
      'url.scheme': 'https',
      'http.response.status_code': 200,
    });
    const metrics = expectHeaderMatchesSpans(response.headers.get('server-timing'), server!, spans);
    expect(metrics.redis?.description).toBe('2x GET user:1');
    expect(metrics.render).toEqual({ name: 'render', duration: 1.5, description: 'template' });
  });

  it('uses the span already active (an instrumentation’s) and passes this and every argument through', async () => {
    const server = { name: 'bun-like server' };
    let seen: unknown[] = [];
    const handler = withServerTiming(
      function (this: unknown, request: Request, info: { remoteAddr: string }) {
        seen = [this, request.url, info];
        return new Response('ok');
      },
      { tracer: tracing.tracer },
    );
    const root = tracing.tracer.startSpan('GET /', { kind: SpanKind.SERVER });
    const response = await context.with(trace.setSpan(context.active(), root), () =>
      handler.call(server, new Request('http://localhost/'), { remoteAddr: '127.0.0.1' }),
    );
    root.end();
    expect(seen).toEqual([server, 'http://localhost/', { remoteAddr: '127.0.0.1' }]);
    expect(serverSpans(tracing.exporter.getFinishedSpans())).toHaveLength(1);
    expect(readTraceContext(parseServerTiming(response.headers.get('server-timing') ?? ''))?.spanId).toBe(
      root.spanContext().spanId,
    );
  });

  it('does not pass a remote parent off as the server span when no span of this process is active', async () => {
    const remote = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
    const handler = withServerTiming(() => new Response('ok'));
    const response = await context.with(trace.setSpan(context.active(), remote), () =>
      handler(new Request('http://localhost/')),
    );
    expect(response.headers.get('server-timing')).toBeNull();
  });

  it('counts a span of this process that does not record as active, never a remote parent or the invalid span', () => {
    const activeSpanWith = (span: ReturnType<typeof trace.wrapSpanContext>) =>
      context.with(trace.setSpan(context.active(), span), () => FetchServerTiming.activeSpan());
    const ids = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
    const recording = tracing.tracer.startSpan('GET /', { kind: SpanKind.SERVER });
    expect(activeSpanWith(recording)).toBe(recording);
    recording.end();
    // Sampled out: a local span that records nothing is still the request's span.
    const unsampled = trace.wrapSpanContext({ ...ids, traceFlags: 0 });
    expect(activeSpanWith(unsampled)).toBe(unsampled);
    expect(activeSpanWith(trace.wrapSpanContext({ ...ids, traceFlags: 1, isRemote: true }))).toBeUndefined();
    expect(activeSpanWith(trace.wrapSpanContext(INVALID_SPAN_CONTEXT))).toBeUndefined();
    expect(
      activeSpanWith(trace.wrapSpanContext({ ...ids, traceId: 'not hex', traceFlags: 1 })),
    ).toBeUndefined();
  });

  it('lets an error the handler throws pass through, recorded on the span', async () => {
    const failure = new RangeError('out of stock');
    const handler = withServerTiming(
      () => {
        throw failure;
      },
      { tracer: tracing.tracer },
    );
    await expect(handler(new Request('http://localhost/buy'))).rejects.toBe(failure);
    const [server] = serverSpans(tracing.exporter.getFinishedSpans());
    expect(server?.status.code).toBe(SpanStatusCode.ERROR);
    expect(server?.attributes['error.type']).toBe('RangeError');
  });

  it('copies a fetch() response, passing its body stream through unbuffered', async () => {
    const handler = withServerTiming(() => fetch(upstreamUrl), { tracer: tracing.tracer });
    const response = await handler(new Request('http://localhost/proxy'));
    expect(response.headers.get('x-upstream')).toBe('yes');
    expect(metricsByName(response.headers.get('server-timing')).traceparent).toBeDefined();
    const reader = response.body!.getReader();
    // The upstream has sent only its first chunk: reading it proves nothing waits for the whole body.
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first;');
    releaseUpstream();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toBe('second');
  });

  it('copies Response.redirect() and passes Response.error() and non-responses through untouched', async () => {
    const redirect = await withServerTiming(() => Response.redirect('http://localhost/next', 303), {
      tracer: tracing.tracer,
    })(new Request('http://localhost/'));
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe('http://localhost/next');
    expect(metricsByName(redirect.headers.get('server-timing')).traceparent).toBeDefined();

    const networkError = Response.error();
    const error = await withServerTiming(() => networkError, { tracer: tracing.tracer })(
      new Request('http://localhost/'),
    );
    expect(error).toBe(networkError);

    // Bun.serve's fetch returns undefined after server.upgrade(): passed on as it is.
    const upgraded = await withServerTiming((() => undefined) as unknown as () => Response)(
      new Request('http://localhost/ws'),
    );
    expect(upgraded).toBeUndefined();
  });

  it('keeps the status text and appends to the handler’s own Server-Timing', async () => {
    const handler = withServerTiming(
      (request: Request) => {
        addServerTiming(request, { name: 'mine', duration: 3 });
        return new Response(null, {
          status: 202,
          statusText: 'Queued',
          headers: { 'server-timing': 'app;dur=1' },
        });
      },
      { crossOrigin: (request) => request.headers.get('origin') ?? undefined },
    );
    const response = await handler(
      new Request('http://localhost/', { headers: { origin: 'https://app.example' } }),
    );
    expect(response.status).toBe(202);
    expect(response.statusText).toBe('Queued');
    expect(response.headers.get('server-timing')).toBe('app;dur=1, mine;dur=3');
    expect(response.headers.get('timing-allow-origin')).toBe('https://app.example');
  });

  it('gives concurrent requests only their own metrics', async () => {
    const handler = withServerTiming(
      async (request: Request) => {
        const n = new URL(request.url).searchParams.get('n') ?? '';
        addServerTiming(request, { name: `own-${n}` });
        await sleep(Number(n) % 5);
        addServerTiming(request, { name: `late-${n}` });
        return new Response(n);
      },
      { tracer: tracing.tracer },
    );
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, n) => handler(new Request(`http://localhost/?n=${n}`))),
    );
    responses.forEach((response, n) => {
      const names = parseServerTiming(response.headers.get('server-timing') ?? '').map(
        (metric) => metric.name,
      );
      expect(names.filter((name) => name.startsWith('own-') || name.startsWith('late-'))).toEqual([
        `own-${n}`,
        `late-${n}`,
      ]);
    });
  });

  it('ends the request record with its header when no Node writer follows (Bun, Deno, Workers)', async () => {
    const handler = withServerTiming(async () => new Response('ok'));
    const root = tracing.tracer.startSpan('GET /', { kind: SpanKind.SERVER });
    const late = await context.with(trace.setSpan(context.active(), root), async () => {
      const span = tracing.tracer.startSpan('GET user:2', { attributes: { 'db.system.name': 'redis' } });
      await handler(new Request('http://localhost/'));
      return span;
    });
    late.end();
    root.end();
    // Nothing can show a span that ends after the last header: the processor no longer records it.
    const afterwards = parseServerTiming(tracing.processor.trailer(root)).map((metric) => metric.name);
    expect(afterwards).not.toContain('redis');
  });

  it('rejects a handler that is not a function', () => {
    expect(() => withServerTiming('nope' as unknown as () => Response)).toThrow(TypeError);
    expect(() => withServerTiming(() => new Response(), { tracer: {} as never })).toThrow(/option `tracer`/);
  });
});
