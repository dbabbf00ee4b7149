// What a TypeScript application on the SDK 2.x line writes: the same as ../otel2/consumer.mts, which cannot
// be shared, because its imports must resolve from this folder (api 1.3.0). Compiled with skipLibCheck
// off, so every declaration file our packages ship has to resolve against this set's packages.
import { AlwaysOffSampler, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { RecordingSampler, ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { serverTiming } from '@otel-server-timing/express';
import express from 'express';

const processor = new ServerTimingSpanProcessor({
  mapSpan: (span) => (span.attributes['db.system.name'] === undefined ? undefined : 'db'),
  // @ts-expect-error the SDK's ReadableSpan type reached the hook (an `any` would accept this)
  filter: (span) => span.notASpanField,
});
export const provider = new NodeTracerProvider({
  sampler: new RecordingSampler(new AlwaysOffSampler()),
  spanProcessors: [processor, new SimpleSpanProcessor(new InMemorySpanExporter())],
});
export const app = express();
app.use(serverTiming());
app.get('/', (_req, res) => {
  res.serverTiming.add({ name: 'app', duration: 1 });
  res.send('ok');
});
