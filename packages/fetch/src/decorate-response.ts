import { diag } from '@opentelemetry/api';
import { appendToListHeader } from '@otel-server-timing/core';

/** Adds `items` to a comma-separated list header, keeping what is there and skipping items it lists. */
function mergeListHeader(headers: Headers, name: string, items: string): void {
  headers.set(name, appendToListHeader(headers.get(name), items, true));
}

/** Writes the timing headers. The first write is the `Server-Timing` append, so immutable headers throw before any change. */
function writeTimingHeaders(
  headers: Headers,
  serverTiming: string,
  timingAllowOrigin: string | undefined,
  exposeHeader: boolean,
): void {
  headers.append('Server-Timing', serverTiming);
  if (timingAllowOrigin !== undefined) mergeListHeader(headers, 'Timing-Allow-Origin', timingAllowOrigin);
  if (exposeHeader) mergeListHeader(headers, 'Access-Control-Expose-Headers', 'Server-Timing');
}

function isResponse(value: unknown): value is Response {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Response).headers === 'object' &&
    typeof (value as Response).headers?.append === 'function'
  );
}

/**
 * Adds `Server-Timing` (appended after any value already there), and when given `Timing-Allow-Origin` and
 * `Access-Control-Expose-Headers: Server-Timing` (merged into existing lists) to a response. Returns the
 * response itself, or, when its headers are immutable (a `Response` straight from `fetch()`,
 * `Response.redirect()`), a new `Response` with the same body stream (not read, not buffered), status,
 * status text and headers plus these. A response that cannot be copied (`Response.error()`, status 101) or
 * anything that is not a response is returned untouched. Never throws.
 */
export function decorateResponse(
  response: Response,
  serverTiming: string,
  timingAllowOrigin: string | undefined,
  exposeHeader: boolean,
  owner: string,
): Response {
  if (serverTiming === '' || !isResponse(response)) return response;
  try {
    writeTimingHeaders(response.headers, serverTiming, timingAllowOrigin, exposeHeader);
    return response;
  } catch {
    // Immutable headers: copy the response below.
  }
  if (response.type === 'error') return response;
  try {
    const copy = new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      // A fresh Headers: some Response implementations (@hono/node-server's) would keep the immutable one.
      headers: new Headers(response.headers),
    });
    writeTimingHeaders(copy.headers, serverTiming, timingAllowOrigin, exposeHeader);
    return copy;
  } catch (error) {
    diag.warn(
      `${owner}: the response headers are immutable and the response cannot be copied; no Server-Timing written`,
      error,
    );
    return response;
  }
}
