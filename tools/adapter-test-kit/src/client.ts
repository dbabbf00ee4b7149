import {
  type ParsedServerTimingMetric,
  parseServerTiming,
  readTraceContext,
  type ServerTraceContext,
} from '@otel-server-timing/core';

/** A response as the tests look at it: the parsed `Server-Timing` and the trace context it names. */
export type TimedResponse = {
  status: number;
  headers: Headers;
  body: string;
  serverTiming: string | null;
  metrics: ParsedServerTimingMetric[];
  traceContext: ServerTraceContext | undefined;
};

/**
 * Sends a request with Node's `fetch` (undici, which instrumentation-http does not trace, so the
 * client adds no spans) and reads its `Server-Timing` (several header lines come joined by `, `).
 */
export async function request(url: string, init?: RequestInit): Promise<TimedResponse> {
  return readTimedResponse(await fetch(url, init));
}

/** Reads a `Response` (from `fetch`, or one a handler returned in-process) as the tests look at it. */
export async function readTimedResponse(response: Response): Promise<TimedResponse> {
  const body = await response.text();
  const serverTiming = response.headers.get('server-timing');
  const metrics = serverTiming === null ? [] : parseServerTiming(serverTiming);
  return {
    status: response.status,
    headers: response.headers,
    body,
    serverTiming,
    metrics,
    traceContext: readTraceContext(metrics),
  };
}

/** The metric called `name`, if the response has one. */
export function metric(response: TimedResponse, name: string): ParsedServerTimingMetric | undefined {
  return response.metrics.find((entry) => entry.name === name);
}
