// @opentelemetry/sdk-node's NodeSDK: `spanProcessors` takes the processor beside your exporter's. (Given
// `spanProcessors`, NodeSDK no longer builds an exporter from OTEL_TRACES_EXPORTER: list yours here.)
//   node --import ./node-sdk.mjs app.mjs
import { register } from 'node:module';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';

// NodeSDK does not register the ESM loader hook: an ES module app needs it for its imports to be patched.
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const sdk = new NodeSDK({
  serviceName: 'my-service',
  spanProcessors: [new ServerTimingSpanProcessor(), new BatchSpanProcessor(new ConsoleSpanExporter())],
  instrumentations: [new HttpInstrumentation(), new PgInstrumentation()],
});
sdk.start();
process.once('SIGTERM', () => sdk.shutdown().finally(() => process.exit(0)));
