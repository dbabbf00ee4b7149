// @opentelemetry/sdk-node's NodeSDK: `spanProcessors` takes the processor beside your exporter's. (Given
// `spanProcessors`, NodeSDK no longer builds an exporter from OTEL_TRACES_EXPORTER: list yours here.)
//   node --import ./node-sdk.mjs app.mjs
import { register } from 'node:module';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { createAddHookMessageChannel } from 'import-in-the-middle';

// ES-module apps: import-in-the-middle's loader lets the instrumentations patch what the app imports.
// Through its message channel it wraps only the modules an instrumentation hooks (express, pg, …), so
// the app's own modules keep their live bindings and import cycles. Register it before the app's imports.
const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

const sdk = new NodeSDK({
  serviceName: 'my-service',
  spanProcessors: [new ServerTimingSpanProcessor(), new BatchSpanProcessor(new ConsoleSpanExporter())],
  instrumentations: [new HttpInstrumentation(), new PgInstrumentation()],
});
sdk.start();
process.once('SIGTERM', () => sdk.shutdown().finally(() => process.exit(0)));

// Every module the instrumentations hook is known to the loader before the app's first import.
await waitForAllMessagesAcknowledged();
