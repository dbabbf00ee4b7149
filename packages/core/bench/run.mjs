// Core benchmarks: the processor's cost on a span's lifecycle (as a ratio against a provider with no
// processor, measured side by side in one run) and the time to build headers of 5, 20 and 100 metrics.
// Usage: pnpm bench [--quick]   (--quick: a short run that only checks the script works)
// On a shared machine pin it to one core for steadier figures: taskset -c 1 pnpm bench
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { ServerTimingSpanProcessor } from '../dist/index.js';
import { coreBenchShape } from './request-shapes.mjs';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 15;
const REQUESTS_PER_ROUND = quick ? 2_000 : 20_000;
const HEADERS_PER_ROUND = quick ? 2_000 : 20_000;

function timePerCall(fn, calls) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn();
  return Number(process.hrtime.bigint() - start) / calls;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

// 1. Span lifecycle: alternate the two providers round by round, compare medians and per-round ratios.
const processor = new ServerTimingSpanProcessor();
const withProcessor = coreBenchShape(new BasicTracerProvider({ spanProcessors: [processor] }));
const bare = coreBenchShape(new BasicTracerProvider({ spanProcessors: [] }));
const bareTimes = [];
const processorTimes = [];
const ratios = [];
timePerCall(bare, REQUESTS_PER_ROUND);
timePerCall(withProcessor, REQUESTS_PER_ROUND);
for (let round = 0; round < ROUNDS; round++) {
  const a = timePerCall(bare, REQUESTS_PER_ROUND);
  const b = timePerCall(withProcessor, REQUESTS_PER_ROUND);
  bareTimes.push(a);
  processorTimes.push(b);
  ratios.push(b / a);
}
const spansPerRequest = 3;
console.log('span lifecycle (3 spans per request: server + 2 children), per span:');
console.log(`  no processor              ${(median(bareTimes) / spansPerRequest).toFixed(0)} ns`);
console.log(`  ServerTimingSpanProcessor ${(median(processorTimes) / spansPerRequest).toFixed(0)} ns`);
console.log(`  median ratio              ${median(ratios).toFixed(3)} (issue 15: at most 1.05)`);

// 2. Header build: a request with N distinct finished child metrics is made (not timed), then its
// header is built (timed on its own, right after, as an adapter does at the response's first byte).
console.log('header build (N distinct metrics + total + traceparent), per header, median of rounds:');
for (const count of [5, 20, 100]) {
  const headerProcessor = new ServerTimingSpanProcessor({ maxMetrics: 1000, maxBytes: 65_536 });
  const tracer = new BasicTracerProvider({ spanProcessors: [headerProcessor] }).getTracer('bench');
  const names = Array.from({ length: count }, (_, m) => `step ${m}`);
  const perHeader = [];
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let elapsed = 0n;
    const headers = HEADERS_PER_ROUND / 10;
    for (let i = 0; i < headers; i++) {
      const root = tracer.startSpan('GET /', { kind: SpanKind.SERVER });
      const ctx = trace.setSpan(ROOT_CONTEXT, root);
      for (const name of names) tracer.startSpan(name, {}, ctx).end();
      const start = process.hrtime.bigint();
      bytes = headerProcessor.header(ctx).length;
      elapsed += process.hrtime.bigint() - start;
      root.end();
    }
    perHeader.push(Number(elapsed) / headers / 1000);
  }
  console.log(`  ${String(count).padStart(3)} metrics  ${median(perHeader).toFixed(2)} µs  (${bytes} bytes)`);
}
