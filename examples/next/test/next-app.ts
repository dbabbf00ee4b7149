// Runs the example as a user would: `next build`, then `next start` on a free port, with a real PostgreSQL
// (PGlite over pglite-socket) and its spans exported over OTLP to a receiver in the test process.
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startOtlpReceiver } from '@otel-server-timing/example-support/otlp-receiver';
import { afterAll, beforeAll } from 'vitest';
// @ts-expect-error: a plain ES module of the example, without types
import { startDatabase } from '../database.mjs';

const directory = fileURLToPath(new URL('..', import.meta.url));
const next = fileURLToPath(new URL('../node_modules/next/dist/bin/next', import.meta.url));
const run = promisify(execFile);

export type ExportedSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
};

export type NextApp = {
  url: string;
  spans: ExportedSpan[];
  output: () => string;
};

let build: Promise<number> | undefined;

/** Runs `next build` once for the test file, however many apps start from it. Resolves to its seconds. */
export function buildNextApp(): Promise<number> {
  build ??= (async () => {
    const started = performance.now();
    await run(process.execPath, [next, 'build'], {
      cwd: directory,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return (performance.now() - started) / 1000;
  })();
  return build;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/**
 * Builds the example (once) and starts it with `env` (e.g. `OTEL_SETUP`) before the file's tests; stops
 * it and its database after them.
 */
export function startNextAppAroundTests(setupEnv: Record<string, string> = {}): () => NextApp {
  let app: NextApp | undefined;
  const stops: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    await buildNextApp();
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...setupEnv };
    const receiver = await startOtlpReceiver();
    stops.push(receiver.close);
    const database = await startDatabase(0);
    stops.push(database.stop);
    const port = await freePort();
    const child = spawn(process.execPath, [next, 'start', '-H', '127.0.0.1', '-p', String(port)], {
      cwd: directory,
      env: {
        ...env,
        DATABASE_URL: database.url,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'next-example',
        // Export each span soon after it ends, so the tests need not wait for a batch.
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    stops.unshift(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    });
    await new Promise<void>((resolve, reject) => {
      const ready = () => {
        if (/Ready in/.test(output)) resolve();
      };
      child.stdout.on('data', ready);
      child.once('exit', (code) => reject(new Error(`next start exited with ${code}:\n${output}`)));
    });
    // Next.js runs instrumentation.ts's register() shortly after it is ready: a request that arrives
    // before has no header (nothing was listening yet). Its span says when it has run.
    while (!receiver.spans.some((span) => span.attributes['next.span_type'] === 'Instrumentation.register')) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    app = { url: `http://127.0.0.1:${port}`, spans: receiver.spans, output: () => output };
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
  });
  return () => {
    if (app === undefined) throw new Error('the Next.js app did not start');
    return app;
  };
}

/** Waits until the app has exported the `SERVER` span of `traceId` (Next's own request span), and returns it. */
export async function exportedServerSpan(app: NextApp, traceId: string): Promise<ExportedSpan> {
  for (;;) {
    const span = app.spans.find((each) => each.traceId === traceId && each.kind === 2);
    if (span !== undefined) return span;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
