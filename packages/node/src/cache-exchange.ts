import type { CacheableExchange } from '@otel-server-timing/core';
import { forEachHeadersArgument } from './header-values.js';
import type { NodeResponse } from './types.js';

function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The values a `writeHead` headers argument sets, by lower-case name (repeated names joined with `, `). */
function headersArgumentValues(headers: unknown): Map<string, string> {
  const values = new Map<string, string>();
  forEachHeadersArgument(headers, (name, value) => {
    const key = String(name).toLowerCase();
    const text = headerText(value) ?? '';
    const before = values.get(key);
    values.set(key, before === undefined ? text : `${before}, ${text}`);
  });
  return values;
}

/**
 * A response about to send its head, as the shared-cache decision reads it: the `writeHead` arguments
 * win over headers set before (as Node merges them). Reads headers only when asked.
 */
export function nodeExchange(
  response: NodeResponse,
  statusCode: unknown,
  headers: unknown,
): CacheableExchange {
  const request = response.req;
  // Read once, on the first lookup, and only when writeHead was given headers.
  let fromArgument: Map<string, string> | undefined;
  return {
    method: request?.method,
    status: Number(statusCode ?? response.statusCode),
    requestHeader: (name) => headerText(request?.headers[name]),
    responseHeader: (name) => {
      if (headers !== null && typeof headers === 'object') {
        fromArgument ??= headersArgumentValues(headers);
        const value = fromArgument.get(name);
        if (value !== undefined) return value;
      }
      return headerText(response.getHeader(name));
    },
  };
}
