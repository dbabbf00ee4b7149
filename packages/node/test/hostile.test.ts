import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeServerTiming, type NodeServerTimingOptions } from '../src/index.js';
import {
  headerLines,
  headerTraceContext,
  metricsOf,
  type Reply,
  request,
  useTelemetry,
} from './telemetry.js';

const appErrors: unknown[] = [];
const telemetry = useTelemetry({
  mapSpan: (span) => {
    if (span.name === 'explodes') throw new Error('mapSpan failed');
    return undefined;
  },
});
afterEach(() => {
  expect(appErrors).toEqual([]);
});

async function serve(work: () => void | Promise<void>, options?: NodeServerTimingOptions): Promise<string> {
  const timing = new NodeServerTiming(options);
  const server = http.createServer(async (req, res) => {
    try {
      timing.attach(req, res);
      await work();
      res.end('survived');
    } catch (error) {
      appErrors.push(error);
      res.end();
    }
  });
  return telemetry.serve(server);
}

function endSpan(name: string): void {
  telemetry.tracer.startSpan(name).end();
}

/** Every header line is printable ASCII, the header parses, and the response is the application's. */
function expectValid(reply: Reply): void {
  expect(reply.status).toBe(200);
  expect(reply.body).toBe('survived');
  expect(Object.keys(reply.headers).filter((name) => name.startsWith('x-injected'))).toEqual([]);
  for (const line of headerLines(reply, 'server-timing')) expect(line).toMatch(/^[\x20-\x7e]*$/);
  expect(headerTraceContext(reply)).toBeDefined();
}

describe('hostile span names', () => {
  it('keeps CR/LF, quotes, backslashes and non-Latin-1 text out of the header framing', async () => {
    const names = [
      'SELECT 1\r\nX-Injected: yes',
      'he said "hi" \\ bye',
      '日本語のクエリ запрос 🚀',
      '\u0000\u0007\u007f',
      '',
    ];
    const origin = await serve(() => {
      for (const name of names) endSpan(name);
    });
    const reply = await request(origin);
    expectValid(reply);
    expect(metricsOf(reply).length).toBeGreaterThan(2);
  });

  it('answers a request with 10,000 child spans within the header budget', async () => {
    const origin = await serve(() => {
      for (let index = 0; index < 10_000; index += 1) endSpan(`span ${index % 500}`);
    });
    const reply = await request(origin);
    expectValid(reply);
    expect(Buffer.byteLength(headerLines(reply, 'server-timing').join(', '))).toBeLessThanOrEqual(1024);
  });
});

describe('user hooks that throw', () => {
  const boom = () => {
    throw new Error('user hook failed');
  };

  it.each([
    ['enabled', { enabled: boom }],
    ['crossOrigin', { crossOrigin: boom }],
    ['descriptions', { descriptions: boom }],
  ] as [string, NodeServerTimingOptions][])('%s: the response still goes out', async (_name, options) => {
    const origin = await serve(() => endSpan('fine'), options);
    const reply = await request(origin);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('survived');
    if (_name !== 'enabled') expectValid(reply);
  });

  it("the processor's mapSpan: the span is left out, the response still goes out", async () => {
    const origin = await serve(() => {
      endSpan('explodes');
      endSpan('kept');
    });
    const reply = await request(origin);
    expectValid(reply);
    const names = metricsOf(reply).map((entry) => entry.name);
    expect(names).toContain('kept');
    expect(names).not.toContain('explodes');
  });
});
