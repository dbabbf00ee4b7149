// Runs the example as a user would: `next build`, then `next start` on a free port, with a real PostgreSQL
// (PGlite over pglite-socket) and its spans exported over OTLP to a receiver in the test process.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ReceivedSpan, startOtlpReceiver } from '@otel-server-timing/adapter-test-kit/otlp-receiver';
import { waitFor } from '@otel-server-timing/adapter-test-kit/poll';
import { startExample } from '@otel-server-timing/example-support/testing';
import { freePort } from '@otel-server-timing/services';
import { afterAll, beforeAll } from 'vitest';
// @ts-expect-error: a plain ES module of the example, without types
import { startDatabase } from '../database.mjs';

const directory = fileURLToPath(new URL('..', import.meta.url));
const next = fileURLToPath(new URL('../node_modules/next/dist/bin/next', import.meta.url));
const run = promisify(execFile);

export type ExportedSpan = ReceivedSpan;

/** How long `next start` may take to say it is ready, and register() to run, on a busy machine. */
const START_DEADLINE_MS = 300_000;

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
    const started = await startExample(directory, [next, 'start', '-H', '127.0.0.1', '-p', String(port)], {
      env: {
        ...env,
        DATABASE_URL: database.url,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'next-example',
        // Export each span soon after it ends, so the tests need not wait for a batch.
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      ready: /Ready in/,
      timeoutMs: START_DEADLINE_MS,
    });
    stops.unshift(started.stop);
    // Next.js runs instrumentation.ts's register() shortly after it is ready: a request that arrives
    // before has no header (nothing was listening yet). Its span says when it has run.
    await waitFor(
      "instrumentation.ts's register() to run",
      () => receiver.spans.some((span) => span.attributes['next.span_type'] === 'Instrumentation.register'),
      { deadlineMs: START_DEADLINE_MS },
    );
    const output: () => string = started.output;
    app = { url: `http://127.0.0.1:${port}`, spans: receiver.spans, output };
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
export function exportedServerSpan(app: NextApp, traceId: string): Promise<ExportedSpan> {
  return waitFor(`the exported SERVER span of trace ${traceId}`, () =>
    app.spans.find((each) => each.traceId === traceId && each.kind === 2),
  );
}
