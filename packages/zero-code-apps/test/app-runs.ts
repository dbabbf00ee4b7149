import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { freePort } from '@otel-server-timing/services';

/** How the app is started: plain node, or with the zero-code entry preloaded by one of the two flags. */
export type Mode = 'plain' | '--import' | '--require';
export const MODES: readonly Mode[] = ['plain', '--import', '--require'];

export const ENTRY = '@otel-server-timing/node/register';
const OBSERVER = fileURLToPath(new URL('./observe-sdk-starts.cjs', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** An app of the suite, as its users start it, and what to ask it when it serves HTTP. */
export type App = {
  name: string;
  /** Folder the app runs in, relative to this package. */
  cwd: string;
  /** Arguments after node's own flags (the script and its arguments); `port` is free for it to listen on. */
  args: (port: number) => string[];
  /** Paths to GET once stdout matches `listening`; the app is then stopped with SIGTERM. */
  requests?: string[];
  /** A stdout line that says the server accepts requests. */
  listening?: RegExp;
  /** Metrics the header must carry under the entry, besides `total` and `traceparent`. */
  metrics?: string[];
  env?: Record<string, string>;
};

export type Reply = { path: string; status: number; body: string; serverTiming: string | null };
export type SdkStart = { threadId: number; isMainThread: boolean; sdkStarted: boolean };

/** What one run of an app showed: its output with run-specific values replaced, its replies and exit. */
export type Run = {
  stdout: string;
  stderr: string;
  exit: string;
  replies: Reply[];
  /** One entry per thread that ran the preloads. */
  sdkStarts: SdkStart[];
};

/** Replaces what differs between two runs of the same app: the port, process ids, clock times. */
export function normalize(output: string, port: number): string {
  return output
    .replaceAll(String(port), '<port>')
    .replace(/\((node|Node\.js):\d+\)/g, '($1:<pid>)')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
}

function preloads(mode: Mode): string[] {
  if (mode === 'plain') return ['--require', OBSERVER];
  return [mode, ENTRY, mode, OBSERVER];
}

/** Resolves when the child's stdout so far matches `pattern`; rejects if it exits first. */
function waitForLine(
  child: ChildProcessByStdio<null, Readable, Readable>,
  pattern: RegExp,
  output: () => string,
) {
  return new Promise<void>((resolve, reject) => {
    const stop = () => {
      child.stdout.off('data', check);
      child.off('exit', exited);
    };
    const check = () => {
      if (!pattern.test(output())) return;
      stop();
      resolve();
    };
    const exited = () => {
      stop();
      reject(new Error(`the app exited before printing ${pattern}:\n${output()}`));
    };
    child.stdout.on('data', check);
    child.on('exit', exited);
    check();
  });
}

/**
 * Runs `app` with `node` (a binary) in `mode`, with telemetry exported nowhere and every other OTEL_*
 * setting at its default (resource detectors included). Resolves once the app has exited.
 */
export async function runApp(node: string, mode: Mode, app: App): Promise<Run> {
  const port = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), 'zero-code-apps-'));
  const startsFile = join(scratch, 'sdk-starts.jsonl');
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(inherited).filter(([name]) => !name.startsWith('OTEL_'))),
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    PORT: String(port),
    SDK_STARTS_FILE: startsFile,
    ...app.env,
  };
  const child = spawn(node, [...preloads(mode), ...app.args(port)], {
    cwd: join(PACKAGE_DIR, app.cwd),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  // 'close', not 'exit': all of its output has been read by then.
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  // A run that hangs is a failure of its own, not a reason to hang the suite.
  const watchdog = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const replies: Reply[] = [];
  try {
    if (app.listening !== undefined) {
      await waitForLine(child, app.listening, () => stdout);
      for (const path of app.requests ?? []) {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        replies.push({
          path,
          status: response.status,
          body: normalize(await response.text(), port),
          serverTiming: response.headers.get('server-timing'),
        });
      }
      child.kill('SIGTERM');
    }
    const [code, signal] = await exited;
    const sdkStarts = readStarts(startsFile);
    return {
      stdout: normalize(stdout, port),
      stderr: normalize(stderr, port),
      exit: signal ?? `code ${code}`,
      replies,
      sdkStarts,
    };
  } finally {
    clearTimeout(watchdog);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  }
}

function readStarts(file: string): SdkStart[] {
  try {
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SdkStart);
  } catch {
    return [];
  }
}
