import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { SERVER_TIMING_PATH } from './constants.js';

let responses = 0;

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * Answers `/__server-timing/<anything>` with the `Server-Timing` header the query asks for:
 * - `st`: the header value, where `{n}` is replaced by a per-response counter and `{traceparent}` by a new
 *   sampled span's context, in the request's trace when it carried a `traceparent` (as a real server's span);
 * - `cache`: `Cache-Control: max-age=<cache>`; `etag`: answer with an ETag and `304` to a matching request;
 * - `untraced`: send the header only to requests without a `traceparent` (those the page's SDK did not make);
 * - `tao`: send `Timing-Allow-Origin: *`;
 * - `empty`: answer with an empty body.
 * Otherwise the body is JSON: the trace context the server sent and the `traceparent` the request carried.
 * Returns `false` for other paths.
 */
export function answerServerTiming(request: IncomingMessage, response: ServerResponse): boolean {
  const url = new URL(request.url ?? '/', 'http://test');
  if (!url.pathname.startsWith(SERVER_TIMING_PATH)) return false;
  responses++;
  // Like a real server span: in the request's trace when it carried a traceparent, else in a new one.
  const requestTraceId = /^00-([0-9a-f]{32})-/.exec(String(request.headers.traceparent))?.[1];
  const traceparent = `00-${requestTraceId ?? randomHex(16)}-${randomHex(8)}-01`;
  const untracedOnly = url.searchParams.has('untraced') && request.headers.traceparent !== undefined;
  const header = (untracedOnly ? '' : (url.searchParams.get('st') ?? ''))
    .replaceAll('{n}', String(responses))
    .replaceAll('{traceparent}', traceparent);
  response.setHeader('Access-Control-Allow-Origin', '*');
  response.setHeader('Access-Control-Allow-Headers', 'traceparent');
  if (url.searchParams.has('tao')) response.setHeader('Timing-Allow-Origin', '*');
  if (request.method === 'OPTIONS') {
    response.statusCode = 204;
    response.end();
    return true;
  }
  if (header !== '') response.setHeader('Server-Timing', header);
  response.setHeader('Content-Type', 'application/json');
  const cache = url.searchParams.get('cache');
  response.setHeader('Cache-Control', cache === null ? 'no-store' : `max-age=${cache}`);
  if (url.searchParams.has('etag')) {
    response.setHeader('Cache-Control', 'no-cache');
    response.setHeader('ETag', '"fixed"');
    if (request.headers['if-none-match'] === '"fixed"') {
      response.statusCode = 304;
      response.end();
      return true;
    }
  }
  if (url.searchParams.has('empty')) response.end();
  else response.end(JSON.stringify({ traceparent, requestTraceparent: request.headers.traceparent ?? null }));
  return true;
}

/**
 * Stops `server` and ends its connections: a browser's open connections, even unused ones, would otherwise
 * keep `close()` waiting for as long as the browser runs.
 */
export function closeServer(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
