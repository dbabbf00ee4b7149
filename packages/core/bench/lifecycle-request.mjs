// One process of bench/instructions.mjs:
//   node lifecycle-request.mjs <bare|do-nothing|processor> <core-bench|express> <warm-up> <window> [core]
// runs `warm-up` requests of one shape, writes `warm` to stdout, then for every line read from stdin runs
// `window` requests and writes `done`; `core` is the built entry of another checkout's core to take the
// processor from (default: this one's). Shapes: see request-shapes.mjs.
import { createInterface } from 'node:readline';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { SHAPES } from './request-shapes.mjs';

const [provider, shape, warmUp, window, core = new URL('../dist/index.js', import.meta.url).href] =
  process.argv.slice(2);
const { ServerTimingSpanProcessor } = await import(core);
/** A processor that does nothing: what the SDK itself pays for calling one. */
const doNothing = {
  onStart() {},
  onEnd() {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
const PROVIDERS = { bare: [], 'do-nothing': [doNothing], processor: [new ServerTimingSpanProcessor()] };
const tracerProvider = new BasicTracerProvider({ spanProcessors: PROVIDERS[provider] });

const request = SHAPES[shape].make(tracerProvider);
const run = (requests) => {
  for (let index = 0; index < requests; index++) request();
};
run(Number(warmUp));
process.stdout.write('warm\n');
createInterface({ input: process.stdin }).on('line', () => {
  run(Number(window));
  process.stdout.write('done\n');
});
