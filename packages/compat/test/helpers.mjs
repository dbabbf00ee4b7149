// Real HTTP on 127.0.0.1 and the waits the end-to-end tests share.
import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

/** `SpanKind.SERVER` of @opentelemetry/api, the same number in every API version. */
export const SERVER_KIND = 1;

/** How long {@link exportedServerSpan} waits for the span before it fails. */
const EXPORT_DEADLINE_MS = 30_000;

/**
 * Listens on 127.0.0.1, port 0.
 * @param {import('node:http').Server} server
 * @returns {Promise<string>} the origin
 */
export async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return `http://127.0.0.1:${address.port}`;
}

/** @param {import('node:http').Server} server */
export async function close(server) {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(() => resolve(undefined)));
}

/**
 * One GET without keep-alive, resolved once the body is read.
 * @param {string} url
 * @param {Record<string, string>} [headers]
 * @returns {Promise<{ status: number | undefined, serverTiming: string, body: string }>}
 */
export function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const outgoing = http.get(url, { agent: false, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => {
        const value = response.headers['server-timing'] ?? '';
        resolve({ status: response.statusCode, serverTiming: String(value), body });
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
  });
}

/**
 * The exported SERVER span of a trace. It ends when the response has finished, which may be just after
 * the client has read it, so this waits for it (up to 30 s: a busy machine must not fail the test).
 * @param {import('./set.mjs').Tracing} tracing
 * @param {string} traceId
 */
export async function exportedServerSpan(tracing, traceId) {
  const deadline = Date.now() + EXPORT_DEADLINE_MS;
  while (Date.now() < deadline) {
    const span = tracing.exporter
      .getFinishedSpans()
      .find((finished) => finished.kind === SERVER_KIND && finished.spanContext().traceId === traceId);
    if (span !== undefined) return span;
    await delay(10);
  }
  throw new Error(`no SERVER span of trace ${traceId} was exported within ${EXPORT_DEADLINE_MS} ms`);
}
