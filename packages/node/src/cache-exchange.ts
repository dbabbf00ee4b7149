import type { CacheableExchange } from '@otel-server-timing/core';
import type { NodeResponse } from './types.js';

function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The value a `writeHead` headers argument (object, `[name, value]` pairs or a flat list) gives `name`. */
function fromHeadersArgument(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  const found: string[] = [];
  if (!Array.isArray(headers)) {
    for (const [key, value] of Object.entries(headers)) {
      if (key.toLowerCase() === name) found.push(headerText(value) ?? '');
    }
  } else if (headers.length > 0 && Array.isArray(headers[0])) {
    for (const pair of headers as unknown[][]) {
      if (String(pair[0]).toLowerCase() === name) found.push(headerText(pair[1]) ?? '');
    }
  } else {
    for (let index = 0; index + 1 < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() === name) found.push(headerText(headers[index + 1]) ?? '');
    }
  }
  return found.length === 0 ? undefined : found.join(', ');
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
  return {
    method: request?.method,
    status: Number(statusCode ?? response.statusCode),
    requestHeader: (name) => headerText(request?.headers[name]),
    responseHeader: (name) => fromHeadersArgument(headers, name) ?? headerText(response.getHeader(name)),
  };
}
