import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { AdapterServerTiming } from './adapter-server-timing.js';
import type { NodeServerTimingOptions } from './types.js';

const OWNER = '@otel-server-timing/node responseHook';

/**
 * The shape of `@opentelemetry/instrumentation-http`'s `responseHook` option: called with the server span
 * and the `ServerResponse` of each incoming request (and with the span and the `IncomingMessage` of each
 * outgoing request, which Server-Timing ignores).
 */
export type HttpResponseHook = (span: Span, response: IncomingMessage | ServerResponse) => void;

/**
 * A `responseHook` for `@opentelemetry/instrumentation-http` that attaches Server-Timing to every
 * incoming request's response, with the server span as its target. instrumentation-http calls it when
 * the request arrives, before the application's handler, so nothing else is needed:
 * `new HttpInstrumentation({ responseHook: serverTimingResponseHook() })`. An adapter (Express, Fastify,
 * Koa) attached to the same response takes over with its own options.
 */
export function serverTimingResponseHook(options?: NodeServerTimingOptions): HttpResponseHook {
  const timing = new AdapterServerTiming(options, { owner: OWNER, automatic: true });
  return function serverTimingHook(span, response) {
    if (response instanceof ServerResponse && response.req !== undefined)
      timing.attach(response.req, response.req, response, span);
  };
}

/**
 * Runs the Server-Timing hook and then `userHook` (when given), so an application's own `responseHook`
 * keeps working unchanged, exceptions included (instrumentation-http reports them):
 * `new HttpInstrumentation({ responseHook: composeResponseHook(myHook, options) })`.
 */
export function composeResponseHook(
  userHook: HttpResponseHook | undefined,
  options?: NodeServerTimingOptions,
): HttpResponseHook {
  if (userHook !== undefined && typeof userHook !== 'function') {
    throw new TypeError(`${OWNER}: the hook to compose with must be a function or undefined.`);
  }
  const serverTimingHook = serverTimingResponseHook(options);
  if (userHook === undefined) return serverTimingHook;
  return function composedResponseHook(span, response) {
    serverTimingHook(span, response);
    return userHook(span, response);
  };
}
