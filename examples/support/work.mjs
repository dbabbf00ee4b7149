// Real child work for the examples' routes: database calls (stand-ins that make the span a database
// driver's instrumentation makes) and outgoing HTTP through node:http, which instrumentation-http traces.
import http from 'node:http';
import { SpanKind, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('@otel-server-timing/example-support');

/** Resolves after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Stands in for a database query: a CLIENT span named like a driver names it, with the semantic
 * conventions' `db.system.name`, `db.operation.name` and `db.collection.name`, lasting `ms`.
 */
export function query(statement, ms, system = 'postgresql') {
  const [operation = statement, collection] = statement.split(' ');
  const attributes = { 'db.system.name': system, 'db.operation.name': operation };
  if (collection !== undefined) attributes['db.collection.name'] = collection;
  return tracer.startActiveSpan(statement, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    await sleep(ms);
    span.end();
  });
}

/**
 * A real outgoing GET through `node:http` (not `fetch`: undici needs instrumentation-undici). Resolves the
 * body. `http.get` is looked up at call time, so it is the one instrumentation-http patched.
 */
export function httpGet(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}
