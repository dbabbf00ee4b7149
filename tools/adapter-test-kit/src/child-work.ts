import type * as http from 'node:http';
import { SpanKind, type Tracer } from '@opentelemetry/api';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A span standing in for a PostgreSQL query: the timer runs inside a CLIENT span with `db.system.name`. */
function query(tracer: Tracer, name: string, ms: number): Promise<void> {
  return tracer.startActiveSpan(
    name,
    { kind: SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } },
    (span) => sleep(ms).finally(() => span.end()),
  );
}

/** A real outgoing HTTP GET through instrumentation-http's patched `node:http`; resolves with the body. */
function callDownstream(httpModule: typeof http, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpModule
      .get(url, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/**
 * What a handler of the main scenario does: an outgoing HTTP call in parallel with two overlapping
 * queries (so the union of the `postgresql` intervals differs from their sum), then one more query.
 */
export async function doChildWork(
  tracer: Tracer,
  httpModule: typeof http,
  downstreamUrl: string,
): Promise<void> {
  await Promise.all([
    callDownstream(httpModule, `${downstreamUrl}?delay=4`),
    query(tracer, 'SELECT users', 6),
    query(tracer, 'SELECT roles', 3),
  ]);
  await query(tracer, 'SELECT orders', 2);
}

/** How many `step-<index>` spans {@link doIndexedWork} makes. */
export function indexedSpanCount(index: number): number {
  return (index % 4) + 1;
}

/** Whether request `index` of the isolation test runs a query (odd ones do): metric `postgresql`. */
export function indexedQueries(index: number): boolean {
  return index % 2 === 1;
}

/**
 * Spans of one request of the isolation test: {@link indexedSpanCount} spans named `step-<index>`, in
 * parallel, and where {@link indexedQueries} says so a query `query-<index>` (a metric name all requests
 * share, so that one request's query showing in another's header would be seen).
 */
export async function doIndexedWork(tracer: Tracer, index: number): Promise<void> {
  await Promise.all([
    ...Array.from({ length: indexedSpanCount(index) }, (_, n) =>
      tracer.startActiveSpan(`step-${index}`, (span) =>
        sleep(1 + ((index + n) % 3)).finally(() => span.end()),
      ),
    ),
    indexedQueries(index) ? query(tracer, `query-${index}`, 1 + (index % 3)) : undefined,
  ]);
}
