// What the end-to-end tests share: Express traced by the real OpenTelemetry SDK with the
// ServerTimingSpanProcessor, listening on 127.0.0.1; the browsers come from tools/browsers.
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { build } from 'esbuild';
import type { Express } from 'express';
import { expect } from 'vitest';
import { closeServer } from './test-servers.js';

/** A traced Express; `close()` stops the SDK and every server `listen` started. */
export type EndToEnd = {
  /** Express, loaded after the instrumentations so that they patch it. */
  express: () => Express;
  /** Serves `app` on 127.0.0.1 at a free port and returns its origin. */
  listen: (app: Express) => Promise<string>;
  /** The one finished server span of a request to `path` (the test fails if there is not exactly one). */
  serverSpan: (path: string) => ReadableSpan;
  /** Forgets the finished spans, so that the next test's requests are the only ones. */
  forgetSpans: () => void;
  close: () => Promise<void>;
};

/** Registers the SDK and the HTTP and Express instrumentations. */
export async function startEndToEnd(): Promise<EndToEnd> {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    spanProcessors: [new ServerTimingSpanProcessor(), new SimpleSpanProcessor(exporter)],
  });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
  });
  // Loaded by its real module name, so that require-in-the-middle patches it.
  const express: () => Express = createRequire(import.meta.url)('express');
  const servers: Server[] = [];

  return {
    express,
    listen: (app) =>
      new Promise((resolve) => {
        const server = app.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        );
        servers.push(server);
      }),
    serverSpan(path) {
      const spans = exporter
        .getFinishedSpans()
        .filter((span) => span.kind === SpanKind.SERVER && span.attributes['url.path'] === path);
      expect(spans, `one server span for ${path}`).toHaveLength(1);
      return spans[0]!;
    },
    forgetSpans: () => exporter.reset(),
    async close() {
      await Promise.all(servers.map(closeServer));
      unregister();
      await provider.shutdown();
    },
  };
}

/** A step of the request's own, so that the header has a child span (metric `lookup_<name>`) to report. */
export async function lookUp(name: string): Promise<void> {
  const span = trace.getTracer('e2e').startSpan(`lookup ${name}`, {}, context.active());
  await new Promise((resolve) => setTimeout(resolve, 2));
  span.end();
}

/** Bundles a page script (TypeScript, importing the built package) into one classic script. */
export async function bundlePageScript(entry: URL): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  return result.outputFiles[0]!.text;
}

/** A span's trace and span id, as the browser reads them from the server's `traceparent`. */
export function contextOf(span: ReadableSpan): { traceId: string; spanId: string } {
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
