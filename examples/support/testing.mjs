// For the examples' smoke tests: start an example as its own process, exactly as a user would, and read
// the Server-Timing header of its responses.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseServerTiming, readTraceContext } from '@otel-server-timing/core';
import { afterAll, beforeAll, expect } from 'vitest';

const LISTENING = /Listening on (http:\/\/\S+?)\/?$/m;

/**
 * Runs `node ...args` in `directory` with PORT=0 (and `env`), resolves once it prints its
 * `Listening on <url>` line (or what `ready` matches; its first group, if any, is the url). `stop()` ends
 * it; `output()` is everything it printed so far.
 */
export function startExample(directory, args, { env = {}, timeoutMs = 60_000, ready = LISTENING } = {}) {
  const child = spawn(process.execPath, args, {
    cwd: directory instanceof URL ? fileURLToPath(directory) : directory,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`no line matching ${ready} after ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    const read = (chunk) => {
      output += chunk;
      const match = ready.exec(output);
      if (match === null) return;
      const url = match[1];
      clearTimeout(timer);
      child.stdout.off('data', read);
      child.stdout.on('data', (more) => {
        output += more;
      });
      resolve({ url, stop, output: () => output });
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code ?? signal} before listening; output:\n${output}`));
    });
  });
}

/**
 * Requests `url` and reads its `Server-Timing`: the parsed metrics (as a browser exposes them), the same
 * by name, and the server's trace context.
 */
export async function fetchServerTiming(url, init) {
  const response = await fetch(url, init);
  await response.arrayBuffer();
  const header = response.headers.get('server-timing') ?? '';
  const metrics = parseServerTiming(header);
  return {
    response,
    header,
    metrics,
    byName: Object.fromEntries(metrics.map((metric) => [metric.name, metric])),
    traceContext: readTraceContext(metrics),
  };
}

/**
 * Starts the example in `directory` before the test file's tests and stops it after them. Returns a
 * function that gives the running example.
 */
export function useExample(directory, args, options) {
  let example;
  beforeAll(async () => {
    example = await startExample(directory, args, options);
  });
  afterAll(() => example?.stop());
  return () => example;
}

/**
 * How many spans a metric stands for, read from its description as core writes it: `"3 spans"` or
 * `"3x SELECT …"` for several, the span's own name for one; 0 when there is no metric.
 */
export function spanCount(metric) {
  if (metric === undefined) return 0;
  const several = /^(\d+)(?: spans$|x )/.exec(metric.description);
  return several === null ? 1 : Number(several[1]);
}

/**
 * What every framework example's `GET /api/products` must say: its two parallel queries as one
 * `postgresql` metric counting 2 (no pool checkouts or connects counted as queries), the outgoing call as
 * `http`, the app's own `cache` metric, `total`, and the sampled trace context. Asked twice: the first
 * request opens the pool's connections, the second reuses them. Returns the second reading for
 * framework-specific checks.
 */
export async function expectProductsTiming(example) {
  await expectProductsTimingOnce(example);
  return expectProductsTimingOnce(example);
}

async function expectProductsTimingOnce(example) {
  const timing = await fetchServerTiming(`${example.url}/api/products`);
  const { byName, traceContext, header } = timing;
  expect(timing.response.status).toBe(200);
  expect(spanCount(byName.postgresql), header).toBe(2);
  expect(byName.postgresql?.duration, header).toBeGreaterThan(0);
  expect(byName.http?.description, header).toBe('GET');
  expect(byName.cache?.description, header).toBe('miss');
  expect(byName.total?.duration, header).toBeGreaterThanOrEqual(
    byName.http?.duration ?? Number.POSITIVE_INFINITY,
  );
  expect(traceContext?.sampled, header).toBe(true);
  expectNothingPrivate(header);
  return timing;
}

/** No SQL text, address or URL in a header: descriptions are low-cardinality names, never attributes. */
export function expectNothingPrivate(header) {
  expect(header).not.toMatch(/\b(?:FROM|WHERE)\b|127\.0\.0\.1|:\/\//);
}
