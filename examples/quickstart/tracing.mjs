// OpenTelemetry set-up, loaded before the app with `node --import ./tracing.mjs server.mjs` so that
// instrumentation-http patches node:http before the app imports it. The ServerTimingSpanProcessor is
// registered like any other processor; set OTEL_TRACES_EXPORTER=console to also print every span.
import { register } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';

// ESM apps need the loader hook for instrumentations to patch what they import (node:http included).
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const spanProcessors = [new ServerTimingSpanProcessor()];
if (process.env.OTEL_TRACES_EXPORTER === 'console')
  spanProcessors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));

const provider = new NodeTracerProvider({ spanProcessors });
provider.register();
registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
