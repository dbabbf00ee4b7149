import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../src/lib/server-process.mjs';

const started: { stop: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

/** One request to a fresh server in `config`: the spans it made and its Server-Timing header. */
async function oneRequest(framework: string, config: string) {
  const server = await startServer({ framework, config });
  started.push(server);
  const before = await server.call('spans');
  const response = await fetch(`http://127.0.0.1:${server.port}/users/42`, {
    headers: { connection: 'close' },
  });
  await response.arrayBuffer();
  return { spans: (await server.call('spans')) - before, header: response.headers.get('server-timing') };
}

// The untraced floor configurations must be what their name says: the hook or middleware is there (the
// header variant's header is sent) and the framework's instrumentation makes no span of it, where the
// traced `otel-header` makes one more span than OpenTelemetry alone.
describe.each(['fastify', 'koa'])('%s: the untraced floor configurations', (framework) => {
  it('add a hook that makes no span, and the header variant sends its header', async () => {
    const otel = await oneRequest(framework, 'otel');
    const traced = await oneRequest(framework, 'otel-header');
    const noop = await oneRequest(framework, 'otel-untraced-noop');
    const header = await oneRequest(framework, 'otel-untraced-header');
    expect(traced.spans).toBe(otel.spans + 1);
    expect(noop).toEqual({ spans: otel.spans, header: null });
    expect(header.spans).toBe(otel.spans);
    expect(header.header).toBe(traced.header);
  });
});
