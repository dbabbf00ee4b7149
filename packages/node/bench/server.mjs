// One benchmark server: node:http with the OpenTelemetry SDK and instrumentation-http, plus Server-Timing
// when asked. Each request makes two child spans. GET /__cpu answers this process's CPU time so far.
// Usage: node server.mjs <mode>   (prints {"port": n} when listening). Modes: `otel` (OpenTelemetry alone),
// `processor` (+ ServerTimingSpanProcessor), `server-timing` (+ the processor and the responseHook).
import { createRequire } from 'node:module';
import { trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { serverTimingResponseHook } from '../dist/index.js';

const mode = process.argv[2];
const withProcessor = mode === 'processor' || mode === 'server-timing';
const withHook = mode === 'server-timing';
const provider = new NodeTracerProvider({
  spanProcessors: withProcessor ? [new ServerTimingSpanProcessor()] : [],
});
provider.register();
registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [new HttpInstrumentation(withHook ? { responseHook: serverTimingResponseHook() } : {})],
});
const http = createRequire(import.meta.url)('node:http');
const tracer = trace.getTracer('bench');

const server = http.createServer((request, response) => {
  if (request.url === '/__cpu') {
    const { user, system } = process.cpuUsage();
    response.end(String(user + system));
    return;
  }
  tracer.startSpan('SELECT users', { attributes: { 'db.system.name': 'postgresql' } }).end();
  tracer.startSpan('GET', { attributes: { 'http.request.method': 'GET' } }).end();
  response.setHeader('content-type', 'application/json');
  response.end('{"id":42}');
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
// Exit normally on SIGTERM, so that `node --cpu-prof bench/server.mjs` writes its profile.
process.on('SIGTERM', () => process.exit(0));
