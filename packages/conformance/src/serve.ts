import type { Server } from 'node:http';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  closeServer,
  listen as listenOnFreePort,
  settledRequestSpans,
  waitFor,
} from '@otel-server-timing/adapter-test-kit';
import { parseServerTiming, readTraceContext } from '@otel-server-timing/core';

/** Listens on 127.0.0.1, a free port; resolves with the origin and a `close()`. */
export async function listen(server: Server): Promise<{ origin: string; close(): Promise<void> }> {
  const origin = await listenOnFreePort(server);
  return { origin, close: () => closeServer(server) };
}

/**
 * Sends one GET through the test's own (uninstrumented) fetch and resolves with the response's
 * `Server-Timing`. Given the exported spans, it resolves only once the request's trace has settled
 * there (some framework spans end after the response's first byte).
 */
export async function fetchServerTiming(
  url: string,
  finishedSpans?: () => readonly ReadableSpan[],
): Promise<{ status: number; header: string }> {
  const response = await fetch(url, { headers: { connection: 'close' } });
  await response.arrayBuffer();
  const header = response.headers.get('server-timing') ?? '';
  const root = readTraceContext(parseServerTiming(header))?.spanId;
  if (finishedSpans !== undefined && root !== undefined) {
    await waitFor(`the spans of ${url} to be exported`, () => settledRequestSpans(finishedSpans(), root));
  }
  return { status: response.status, header };
}
