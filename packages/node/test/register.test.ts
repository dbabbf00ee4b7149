import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@otel-server-timing/adapter-test-kit';
import { startOtlpReceiver } from '@otel-server-timing/adapter-test-kit/otlp-receiver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { headerTraceContext, metric, metricsOf, request } from './telemetry.js';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const SPAN_KIND_SERVER = 2;

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let app: ChildProcess | undefined;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());
afterEach(() => {
  if (app?.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
  app = undefined;
});

function withoutUndefined(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Starts a fixture under the register entry (`--import` or `--require`); resolves with its origin. */
async function startApp(
  preload: '--import' | '--require',
  fixture: string,
  /** `undefined` leaves a variable unset. */
  env: Record<string, string | undefined> = {},
): Promise<{ origin: string; stderr: () => string }> {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const child = spawn(
    process.execPath,
    [preload, '@otel-server-timing/node/register', `test/fixtures/${fixture}`],
    {
      cwd: PACKAGE_DIR,
      // Node passes an `undefined` value on as the string "undefined": leave such variables out.
      env: withoutUndefined({
        ...inherited,
        OTEL_SERVICE_NAME: 'register-fixture',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '20',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        OTEL_NODE_RESOURCE_DETECTORS: 'none',
        ...env,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  app = child;
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let stdout = '';
  child.stdout?.setEncoding('utf8');
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.on('exit', (code) => reject(new Error(`fixture exited with ${code}: ${stderr}`)));
  });
  return { origin: `http://127.0.0.1:${port}`, stderr: () => stderr };
}

function exportedSpans(traceId: string, atLeast: number) {
  return waitFor(`${atLeast} spans of trace ${traceId} at the receiver`, () => {
    const spans = receiver.spans.filter((span) => span.traceId === traceId);
    return spans.length >= atLeast && spans;
  });
}

describe('@otel-server-timing/node/register', () => {
  it.each([
    ['--import', 'http-app.mjs'],
    ['--require', 'http-app.cjs'],
  ] as const)('%s %s: the header names the span the OTLP exporter sent', async (preload, fixture) => {
    const { origin, stderr } = await startApp(preload, fixture);
    const reply = await request(`${origin}/hello`);
    expect(reply.body).toBe('hello /hello');
    const traceContext = headerTraceContext(reply);
    expect(traceContext, stderr()).toBeDefined();
    const spans = await exportedSpans(traceContext!.traceId, 2);
    const server = spans.find((span) => span.kind === SPAN_KIND_SERVER);
    expect(server?.spanId).toBe(traceContext!.spanId);
    expect(spans.find((span) => span.name === 'SELECT users')?.parentSpanId).toBe(server?.spanId);
    expect(metric(metricsOf(reply), 'postgresql')?.description).toBe('SELECT users');
    expect(metric(metricsOf(reply), 'total')).toBeDefined();
  });

  it('loads nothing but itself in a Worker (the preload runs there too; nothing starts there)', async () => {
    // A CommonJS preload shows what it loaded in the thread's require cache.
    const { NODE_OPTIONS: _ignored, ...env } = process.env;
    const child = spawn(
      process.execPath,
      ['--require', '@otel-server-timing/node/register', 'test/fixtures/worker-modules.cjs'],
      {
        cwd: PACKAGE_DIR,
        env: {
          ...env,
          OTEL_TRACES_EXPORTER: 'none',
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_LOGS_EXPORTER: 'none',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    app = child;
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    // The entry and the build's own small helpers (tsup's import.meta shim); no SDK, API or core.
    const loaded = JSON.parse(stdout) as string[];
    const distDir = `${PACKAGE_DIR.replace(/\/$/, '')}/dist/`;
    expect(loaded.filter((path) => !path.startsWith(distDir) || path.includes('zero-code'))).toEqual([]);
  });

  it('instruments an ESM Express app through the loader hook: framework spans in the header', async () => {
    const { origin, stderr } = await startApp('--import', 'express-app.mjs', {
      OTEL_SERVER_TIMING_CROSS_ORIGIN: 'https://app.example.com',
    });
    const reply = await request(`${origin}/users/42`);
    expect(reply.body).toBe('{"id":"42"}');
    expect(reply.headers['timing-allow-origin']).toBe('https://app.example.com');
    const metrics = metricsOf(reply);
    expect(metric(metrics, 'middleware'), `${reply.headers['server-timing']} ${stderr()}`).toBeDefined();
    const traceContext = headerTraceContext(reply)!;
    const spans = await exportedSpans(traceContext.traceId, 3);
    expect(spans.some((span) => span.name.startsWith('middleware'))).toBe(true);
    expect(spans.find((span) => span.kind === SPAN_KIND_SERVER)?.spanId).toBe(traceContext.spanId);
  });

  it.each([
    ['full', ['postgresql:SELECT users', 'total', 'traceparent']],
    ['metrics', ['postgresql:', 'total', 'traceparent']],
    ['trace', ['traceparent']],
    ['none', []],
  ])('OTEL_SERVER_TIMING_LEVEL=%s: the header shows that much', async (level, shape) => {
    const { origin, stderr } = await startApp('--import', 'http-app.mjs', {
      OTEL_SERVER_TIMING_LEVEL: level,
    });
    const reply = await request(`${origin}/hello`);
    expect(reply.body).toBe('hello /hello');
    const shown = metricsOf(reply).map(({ name, description }) =>
      name === 'total' || name === 'traceparent' ? name : `${name}:${description}`,
    );
    expect(shown, stderr()).toEqual(shape);
  });

  it('OTEL_SERVER_TIMING_ENABLED=false: telemetry as usual, no header', async () => {
    const { origin } = await startApp('--import', 'http-app.mjs', { OTEL_SERVER_TIMING_ENABLED: 'false' });
    const reply = await request(origin);
    expect(reply.headers['server-timing']).toBeUndefined();
  });

  it('a malformed OTEL_SERVER_TIMING_* value: a process warning, the app runs without the header', async () => {
    const { origin, stderr } = await startApp('--require', 'http-app.cjs', {
      OTEL_SERVER_TIMING_MAX_BYTES: 'lots',
    });
    const reply = await request(origin);
    expect(reply.body).toBe('hello /');
    expect(reply.headers['server-timing']).toBeUndefined();
    expect(stderr()).toContain('OTEL_SERVER_TIMING_MAX_BYTES must be a whole number');
  });

  it('OTEL_TRACES_EXPORTER=none: nothing exported, the header still works; SIGTERM still ends the process', async () => {
    const { origin } = await startApp('--import', 'http-app.mjs', { OTEL_TRACES_EXPORTER: 'none' });
    const reply = await request(origin);
    expect(headerTraceContext(reply)).toBeDefined();
    app?.kill('SIGTERM');
    const [, signal] = await once(app!, 'exit');
    expect(signal).toBe('SIGTERM');
    expect(receiver.spans.filter((span) => span.traceId === headerTraceContext(reply)!.traceId)).toEqual([]);
  });

  it("default resource detectors: the SDK's own, no cloud metadata probe, nothing on stderr", async () => {
    const { origin, stderr } = await startApp('--import', 'http-app.mjs', {
      OTEL_NODE_RESOURCE_DETECTORS: undefined,
    });
    const reply = await request(`${origin}/hello`);
    const [span] = await exportedSpans(headerTraceContext(reply)!.traceId, 1);
    // Everything the process printed, up to its end: off the clouds, a cloud detector prints a
    // MetadataLookupWarning once its metadata host does not answer.
    app?.kill('SIGTERM');
    await once(app!, 'close');
    expect(stderr()).toBe('');
    expect(span?.resourceKeys).toEqual(expect.arrayContaining(['host.name', 'process.pid']));
    // `serviceinstance` and the cloud detectors run only when OTEL_NODE_RESOURCE_DETECTORS names them.
    expect(span?.resourceKeys).not.toContain('service.instance.id');
  });

  it('OTEL_NODE_RESOURCE_DETECTORS is read as the upstream entry reads it', async () => {
    const { origin } = await startApp('--import', 'http-app.mjs', {
      OTEL_NODE_RESOURCE_DETECTORS: 'serviceinstance,env',
    });
    const reply = await request(`${origin}/hello`);
    const [span] = await exportedSpans(headerTraceContext(reply)!.traceId, 1);
    expect(span?.resourceKeys).toContain('service.instance.id');
    expect(span?.resourceKeys).not.toContain('host.name');
  });

  it('flushes the exporter on SIGTERM', async () => {
    const { origin } = await startApp('--import', 'http-app.mjs', { OTEL_BSP_SCHEDULE_DELAY: '600000' });
    const reply = await request(origin);
    const traceId = headerTraceContext(reply)!.traceId;
    app?.kill('SIGTERM');
    await once(app!, 'exit');
    expect((await exportedSpans(traceId, 2)).length).toBeGreaterThanOrEqual(2);
  });
});
