// One process of bench/instructions.mjs: `node lifecycle-request.mjs <bare|do-nothing|processor> <requests> [core]`
// runs the core benchmark's request (a server span with two child spans) that many times; `core` is the
// built entry of another checkout's core to take the processor from (default: this one's).
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

const [provider, requests, core = new URL('../dist/index.js', import.meta.url).href] = process.argv.slice(2);
const { ServerTimingSpanProcessor } = await import(core);
/** A processor that does nothing: what the SDK itself pays for calling one. */
const doNothing = {
  onStart() {},
  onEnd() {},
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
const PROVIDERS = { bare: [], 'do-nothing': [doNothing], processor: [new ServerTimingSpanProcessor()] };
const spanProcessors = PROVIDERS[provider];
const tracer = new BasicTracerProvider({ spanProcessors }).getTracer('bench');
for (let index = 0; index < Number(requests); index++) {
  const root = tracer.startSpan('GET /users/:id', { kind: SpanKind.SERVER });
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  tracer
    .startSpan('SELECT users', { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } }, ctx)
    .end();
  tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'GET' } }, ctx).end();
  root.end();
}
