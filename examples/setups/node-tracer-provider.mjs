// The SDK's own building blocks: a NodeTracerProvider with the processor beside your exporter's.
//   node --import ./node-tracer-provider.mjs app.mjs
import { register } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { BatchSpanProcessor, ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const provider = new NodeTracerProvider({
  spanProcessors: [
    new ServerTimingSpanProcessor(),
    new BatchSpanProcessor(new ConsoleSpanExporter()), // or your OTLP exporter
  ],
});
provider.register();
registerInstrumentations({ instrumentations: [new HttpInstrumentation(), new PgInstrumentation()] });
