import http, { type IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import type { Server } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { HttpInstrumentation, type HttpInstrumentationConfig } from '@opentelemetry/instrumentation-http';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  closeServer,
  listen,
  startTestSdk,
  type TestSdk,
  waitFor,
} from '@otel-server-timing/adapter-test-kit';
import {
  type ParsedServerTimingMetric,
  parseServerTiming,
  parseTraceparent,
  type ServerTimingProcessorOptions,
} from '@otel-server-timing/core';
import { afterAll, afterEach } from 'vitest';

/**
 * The shared test SDK (a NodeTracerProvider with the processor and an in-memory exporter) with
 * instrumentation-http creating the server spans. Outgoing requests of the test client are not traced.
 */
export function startTelemetry(
  processorOptions?: ServerTimingProcessorOptions,
  httpConfig: HttpInstrumentationConfig = {},
): TestSdk {
  const sdk = startTestSdk({
    processorOptions,
    instrumentations: [new HttpInstrumentation({ ignoreOutgoingRequestHook: () => true, ...httpConfig })],
  });
  // require-in-the-middle patches a module when it is required; this process imported node:http already.
  createRequire(import.meta.url)('node:http');
  return sdk;
}

export type Telemetry = TestSdk & {
  /** Listens on 127.0.0.1 (port 0) and returns the origin; the server is closed after the current test. */
  serve(server: Server): Promise<string>;
};

/**
 * {@link startTelemetry} for a test file: after each test the servers it served are closed and the
 * exported spans cleared; after the last test the SDK is shut down.
 */
export function useTelemetry(
  processorOptions?: ServerTimingProcessorOptions,
  httpConfig?: HttpInstrumentationConfig,
): Telemetry {
  const sdk = startTelemetry(processorOptions, httpConfig);
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
    sdk.exporter.reset();
  });
  afterAll(() => sdk.shutdown());
  return {
    ...sdk,
    serve(server) {
      servers.push(server);
      return listen(server);
    },
  };
}

export type Reply = {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
};

/** One request without keep-alive; resolves when the body has been read. */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, { agent: false, ...options }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          rawHeaders: response.rawHeaders,
          body,
        }),
      );
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** All values of one header in order (several header lines stay separate). */
export function headerLines(reply: Reply, name: string): string[] {
  const lines: string[] = [];
  for (let index = 0; index < reply.rawHeaders.length; index += 2) {
    if (reply.rawHeaders[index]?.toLowerCase() === name.toLowerCase())
      lines.push(reply.rawHeaders[index + 1]!);
  }
  return lines;
}

export function metricsOf(reply: Reply): ParsedServerTimingMetric[] {
  return parseServerTiming(headerLines(reply, 'server-timing'));
}

export function metric(metrics: readonly ParsedServerTimingMetric[], name: string) {
  return metrics.find((entry) => entry.name === name);
}

/** The trace context the header carries, as `{ traceId, spanId }`. */
export function headerTraceContext(reply: Reply) {
  const traceparent = metric(metricsOf(reply), 'traceparent');
  return traceparent === undefined ? undefined : parseTraceparent(traceparent.description);
}

/** Waits until the exporter holds the ended server span of the request with this trace id. */
export function serverSpan(exporter: InMemorySpanExporter, traceId: string): Promise<ReadableSpan> {
  return waitFor(`the server span of trace ${traceId}`, () =>
    exporter
      .getFinishedSpans()
      .find((candidate) => candidate.kind === SpanKind.SERVER && candidate.spanContext().traceId === traceId),
  );
}
