// Bytes the processor allocates per request, on top of what the SDK allocates for the same spans.
// Usage: node bench/allocation.mjs [--baseline <another checkout's packages/core>]
// One process per provider (no processor, ServerTimingSpanProcessor[, the baseline's]) and request shape
// (bench/request-shapes.mjs). Each runs a warm-up, then windows of requests in a young generation large
// enough that no garbage collection happens inside a window (checked: a window in which the heap shrank is run again), so
// the growth of `heapUsed` over the window is exactly what its requests allocated. Unlike time, the
// figure is the same on a loaded machine; two processes of the same code agree to a few bytes a request.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SHAPES } from './request-shapes.mjs';

const WINDOW = 5_000;
const WINDOWS = 5;

if (process.argv[2] === '--child') {
  const [, , , provider, shape, core] = process.argv;
  const { BasicTracerProvider } = await import('@opentelemetry/sdk-trace-base');
  const { ServerTimingSpanProcessor } = await import(core);
  const processors = provider === 'processor' ? [new ServerTimingSpanProcessor()] : [];
  const request = SHAPES[shape].make(new BasicTracerProvider({ spanProcessors: processors }));
  for (let index = 0; index < 20_000; index++) request();
  const perRequest = [];
  for (let attempt = 0; perRequest.length < WINDOWS && attempt < 4 * WINDOWS; attempt++) {
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    let last = before;
    let collected = false;
    for (let index = 1; index <= WINDOW; index++) {
      request();
      // A collection shows as the heap shrinking; a window with one is run again.
      if (index % 500 === 0) {
        const now = process.memoryUsage().heapUsed;
        collected ||= now < last;
        last = now;
      }
    }
    if (!collected) perRequest.push((last - before) / WINDOW);
  }
  perRequest.sort((a, b) => a - b);
  process.stdout.write(String(perRequest[Math.floor(WINDOWS / 2)]));
  process.exit(0);
}

const at = process.argv.indexOf('--baseline');
const ours = new URL('../dist/index.js', import.meta.url).href;
const cores = [['processor', ours]];
if (at !== -1) cores.push(['baseline', pathToFileURL(join(process.argv[at + 1], 'dist/index.js')).href]);
const script = fileURLToPath(import.meta.url);
const measure = (provider, shape, core) =>
  Number(
    execFileSync(process.execPath, [
      '--expose-gc',
      '--max-semi-space-size=256',
      '--min-semi-space-size=256',
      '--single-threaded',
      script,
      '--child',
      provider === 'baseline' ? 'processor' : provider,
      shape,
      core,
    ]),
  );
for (const shape of Object.keys(SHAPES)) {
  const bare = measure('bare', shape, ours);
  console.log(`${shape} (${SHAPES[shape].spans} spans), bytes allocated per request:`);
  console.log(`  no processor              ${bare.toFixed(0)}`);
  for (const [provider, core] of cores) {
    const bytes = measure(provider, shape, core);
    const label = provider === 'processor' ? 'ServerTimingSpanProcessor' : "baseline's processor     ";
    console.log(`  ${label} ${bytes.toFixed(0)}  (+${(bytes - bare).toFixed(0)})`);
  }
}
