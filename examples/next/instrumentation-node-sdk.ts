// The same set-up with a plain NodeSDK instead of @vercel/otel. Given `spanProcessors`, NodeSDK builds
// no exporter from OTEL_TRACES_EXPORTER: the OTLP one is listed beside the ServerTimingSpanProcessor.
// Leave instrumentation-http out (getNodeAutoInstrumentations has it): Next makes the request's SERVER
// span itself, and instrumentEveryServer gives the header without it. With it, its span becomes the
// request's root and Next's a second SERVER span beneath; the header is still one, tied to the root.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { instrumentEveryServer } from '@otel-server-timing/node';

const sdk = new NodeSDK({
  serviceName: 'next-example',
  spanProcessors: [new ServerTimingSpanProcessor(), new BatchSpanProcessor(new OTLPTraceExporter())],
  instrumentations: [new PgInstrumentation()],
});
sdk.start();
instrumentEveryServer();
