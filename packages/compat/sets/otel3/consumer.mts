// What a TypeScript application on the SDK 3.x line writes. Compiled with skipLibCheck off, so every
// declaration file our packages ship has to resolve against this set's packages (which hold no
// @opentelemetry/sdk-trace-base).
import {
  AlwaysOffSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { RecordingSampler, ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { serverTiming } from '@otel-server-timing/express';
import express from 'express';

const processor = new ServerTimingSpanProcessor({
  mapSpan: (span) => (span.attributes['db.system.name'] === undefined ? undefined : 'db'),
  // @ts-expect-error the SDK's ReadableSpan type reached the hook (an `any` would accept this)
  filter: (span) => span.notASpanField,
});
export const provider = new TracerProvider({
  sampler: new RecordingSampler(new AlwaysOffSampler()),
  spanProcessors: [processor, new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
});
export const app = express();
app.use(serverTiming());
app.get('/', (_req, res) => {
  res.serverTiming.add({ name: 'app', duration: 1 });
  res.send('ok');
});
