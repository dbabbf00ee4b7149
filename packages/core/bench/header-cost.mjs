// What one request's Server-Timing header costs when a response's first byte goes out: instructions
// (valgrind's callgrind) and bytes allocated per header, measured on the header alone.
// Usage: node bench/header-cost.mjs [--baseline <another checkout's packages/core>]… [--groups 3,5,7]
//        [--functions]   (also: where the instructions of our build go, by function, from V8's perf map)
// (needs valgrind; the baseline must be built)
// Each header is that of a request as the instrumentations make it: a root SERVER span still running and
// 3, 5 or 7 metric groups of finished spans (a Postgres query `pg.query:SELECT postgres`, twice in the
// larger shapes; `redis-GET`; an outgoing `GET`; Express middleware and handler; two spans of the
// application's own), their names built per span as the instrumentations build them. A window of requests is
// made first and not counted; then only the header calls are: `ServerTimingHeaders.header` (what every
// adapter calls, through the processor's `header()`) and Node's check of the value (`validateHeaderValue`,
// what `setHeader` runs, and where a header built of many concatenated strings is copied into one).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { validateHeaderValue } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CallgrindChild } from '../../../tools/callgrind/windows.mjs';

const WINDOW = 1_000;
const WINDOWS = 3;
const WARM_UP_WINDOWS = 10;

/** The spans of one request with `groups` metric groups; returns its root, still running. */
function requestMaker(provider, groups) {
  const pg = provider.getTracer('@opentelemetry/instrumentation-pg', '0.76.0');
  const redis = provider.getTracer('@opentelemetry/instrumentation-redis', '0.71.0');
  const undici = provider.getTracer('@opentelemetry/instrumentation-undici', '0.33.0');
  const express = provider.getTracer('@opentelemetry/instrumentation-express', '0.71.1');
  const app = provider.getTracer('benchmark');
  const { SpanKind, ROOT_CONTEXT, trace } = api;
  // Parts the instrumentations build names of, read at run time so that every span's name is a new string.
  const parts = {
    operation: 'SELECT',
    database: 'postgres',
    command: 'GET',
    step: 'jsonParser',
    page: 'page',
    route: '/users/:id',
  };
  const ended = (tracer, name, options, ctx, startMs, durationMs) => {
    tracer.startSpan(name, { ...options, startTime: startMs }, ctx).end(startMs + durationMs);
  };
  const query = (ctx, at, duration) =>
    ended(
      pg,
      `pg.query:${parts.operation} ${parts.database}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT 1', 'db.name': parts.database },
      },
      ctx,
      at,
      duration,
    );
  return () => {
    const root = pg.startSpan('GET /users/:id', { kind: SpanKind.SERVER });
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    const t0 = Date.now() - 20;
    if (groups >= 5) {
      ended(
        express,
        `middleware - ${parts.step}`,
        { attributes: { 'express.name': parts.step, 'express.type': 'middleware' } },
        ctx,
        t0,
        0.25,
      );
    }
    query(ctx, t0 + 1, 3.2221);
    if (groups >= 5) query(ctx, t0 + 5, 1.5);
    const redisOptions = {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system': 'redis', 'db.statement': 'GET' },
    };
    ended(redis, `redis-${parts.command}`, redisOptions, ctx, t0 + 7, 0.417);
    const httpOptions = {
      kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': parts.command, 'url.full': 'http://127.0.0.1:3000/profile' },
    };
    ended(undici, parts.command, httpOptions, ctx, t0 + 8, 12);
    if (groups >= 7) {
      ended(app, `render ${parts.page}`, {}, ctx, t0 + 9, 2.05);
      ended(app, `cache ${parts.command.toLowerCase()}`, {}, ctx, t0 + 12, 0.1);
    }
    if (groups >= 5) {
      const handlerOptions = {
        attributes: { 'express.name': '/users/:id', 'express.type': 'request_handler' },
      };
      ended(express, `request handler - ${parts.route}`, handlerOptions, ctx, t0 + 13, 0.75);
    }
    return root;
  };
}

let api;

/**
 * One measuring process: `child <core url> <groups>` makes the requests of a window and writes `ready`,
 * then at each `go` builds their headers and writes `done` (and, with `bytes`, the bytes each allocated).
 */
async function child([, coreUrl, groupsText, mode]) {
  api = await import('@opentelemetry/api');
  const { BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base');
  const { ServerTimingSpanProcessor, ServerTimingHeaders } = await import(coreUrl);
  const processor = new ServerTimingSpanProcessor();
  const request = requestMaker(new BasicTracerProvider({ spanProcessors: [processor] }), Number(groupsText));
  // No processor given: found where adapters find it, as in the README's quick start.
  const headers = new ServerTimingHeaders('bench', {});
  const exposure = headers.exposure(undefined);
  let roots = [];
  let example = '';
  const prepare = () => {
    for (const root of roots) root.end();
    roots = Array.from({ length: WINDOW }, request);
    globalThis.gc();
  };
  const build = () => {
    for (const root of roots) {
      example = headers.header(root, exposure, undefined, 'last');
      validateHeaderValue('Server-Timing', example);
    }
  };
  for (let window = 0; window < WARM_UP_WINDOWS; window++) {
    prepare();
    build();
  }
  if (mode === 'bytes') {
    // A young generation large enough for a window: the heap's growth is what the headers allocated.
    const perHeader = [];
    for (let attempt = 0; perHeader.length < WINDOWS && attempt < 4 * WINDOWS; attempt++) {
      prepare();
      const before = process.memoryUsage().heapUsed;
      build();
      const after = process.memoryUsage().heapUsed;
      if (after > before) perHeader.push((after - before) / WINDOW);
    }
    perHeader.sort((a, b) => a - b);
    process.stdout.write(`${perHeader[Math.floor(perHeader.length / 2)]}\n${example}\n`);
    return;
  }
  prepare();
  process.stdout.write(`ready ${example.length}\n`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line === 'go') {
      build();
      process.stdout.write('done\n');
    } else {
      prepare();
      process.stdout.write('ready\n');
    }
  });
}

const DETERMINISTIC = ['--single-threaded', '--hash-seed=42', '--random-seed=42', '--expose-gc'];

/** Instructions per header of one process under callgrind (median window), and with `functions` their split. */
async function countInstructions(coreUrl, groups, functions) {
  const { child } = await CallgrindChild.start({
    script: fileURLToPath(import.meta.url),
    args: ['child', coreUrl, groups],
    nodeArgs: [...DETERMINISTIC, ...(functions ? ['--perf-basic-prof'] : [])],
    callgrindArgs: functions ? ['--dump-instr=yes'] : [],
    label: `${groups} groups`,
  });
  try {
    const perHeader = [];
    let byFunction;
    for (let window = 0; window < WINDOWS; window++) {
      const { instructions, dump } = await child.window('go');
      perHeader.push(instructions / WINDOW);
      if (functions && window === WINDOWS - 1)
        byFunction = costByFunction(dump, `/tmp/perf-${child.pid}.map`);
      // New requests for the next window, made outside it.
      child.send('prepare');
      await child.next();
    }
    return { perHeader: perHeader.sort((a, b) => a - b)[Math.floor(WINDOWS / 2)], byFunction };
  } finally {
    child.stop();
    if (functions) rmSync(`/tmp/perf-${child.pid}.map`, { force: true });
  }
}

/**
 * Self instructions by function from a callgrind dump made with `--dump-instr=yes`: code V8 compiled (named
 * from its perf map: `JS:*name` optimised, `JS:^` baseline, `JS:~` interpreted) and the rest by callgrind's
 * own names (V8's builtins, the runtime, libc).
 */
function costByFunction(text, perfMapFile) {
  const ranges = readFileSync(perfMapFile, 'utf8')
    .split('\n')
    .map((line) => /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line))
    .filter((match) => match !== null)
    .map(([, start, size, name]) => [Number.parseInt(start, 16), Number.parseInt(size, 16), name]);
  // Code V8 collected may have been replaced at the same address: the later entry wins.
  ranges.sort((a, b) => a[0] - b[0]);
  const jsName = (address) => {
    let low = 0;
    let high = ranges.length - 1;
    let found;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const range = ranges[middle];
      if (range[0] <= address) {
        found = range;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found !== undefined && address < found[0] + found[1] ? found[2] : undefined;
  };
  const names = new Map();
  const costs = new Map();
  let fn = '';
  let address = 0;
  let afterCall = false;
  const position = (field) => {
    if (field === '*') return address;
    if (field.startsWith('+')) return address + Number(field.slice(1));
    if (field.startsWith('-')) return address - Number(field.slice(1));
    return Number(field);
  };
  for (const line of text.split('\n')) {
    const named = /^(c?fn)=\((\d+)\)(?: (.*))?$/.exec(line);
    if (named !== null) {
      if (named[3] !== undefined) names.set(named[2], named[3]);
      if (named[1] === 'fn') fn = names.get(named[2]) ?? '?';
      continue;
    }
    if (line.startsWith('calls=')) {
      afterCall = true;
      continue;
    }
    if (!/^(0x[0-9a-f]+|[+-]\w+|\*)\s/.test(line)) continue;
    const fields = line.split(' ');
    address = position(fields[0]);
    // The line after `calls=` is the call's inclusive cost, counted in the callee already.
    if (afterCall) {
      afterCall = false;
      continue;
    }
    const cost = Number(fields[fields.length - 1]);
    const name = fn.startsWith('0x') ? (jsName(address) ?? 'JIT code (no name)') : fn;
    costs.set(name, (costs.get(name) ?? 0) + cost);
  }
  return [...costs].sort((a, b) => b[1] - a[1]);
}

/** Bytes allocated per header (median window) and an example header, from a process without callgrind. */
function countBytes(coreUrl, groups) {
  const output = execFileSync(process.execPath, [
    ...DETERMINISTIC,
    '--max-semi-space-size=256',
    '--min-semi-space-size=256',
    fileURLToPath(import.meta.url),
    'child',
    coreUrl,
    groups,
    'bytes',
  ]).toString();
  const [bytes, example] = output.split('\n');
  return { bytes: Number(bytes), example };
}

async function main() {
  const option = (name) => {
    const at = process.argv.indexOf(name);
    return at === -1 ? undefined : process.argv[at + 1];
  };
  const functions = process.argv.includes('--functions');
  const cores = [['this build', new URL('../dist/index.js', import.meta.url).href]];
  // Any number of `--baseline <dir>`: each another checkout's (or build's) packages/core.
  process.argv.forEach((argument, at) => {
    const directory = process.argv[at + 1];
    if (argument === '--baseline' && directory !== undefined) {
      cores.push([directory, pathToFileURL(join(directory, 'dist/index.js')).href]);
    }
  });
  for (const groups of (option('--groups') ?? '3,5,7').split(',')) {
    console.log(`${groups} metric groups + total + traceparent, per header (header() + Node's value check):`);
    let shown;
    for (const [label, coreUrl] of cores) {
      const { bytes, example } = countBytes(coreUrl, groups);
      shown ??= example;
      const { perHeader, byFunction } = await countInstructions(coreUrl, groups, functions);
      console.log(
        `  ${label.padEnd(12)} ${perHeader.toFixed(0)} instructions, ${bytes.toFixed(0)} bytes, ${example.length}-byte value`,
      );
      if (byFunction !== undefined) {
        for (const [name, cost] of byFunction.slice(0, 40)) {
          console.log(`    ${(cost / WINDOW).toFixed(0).padStart(6)}  ${name.slice(0, 110)}`);
        }
      }
    }
    console.log(`  e.g. ${shown}`);
  }
}

if (process.argv[2] === 'child') await child(process.argv.slice(2));
else await main();
