import diagnosticsChannel from 'node:diagnostics_channel';
import { reserveResponseProperty } from '@otel-server-timing/node/internal';

/** Node publishes every HTTP/1 request here before the server's `request` listeners (Express) run. */
const REQUEST_START = 'http.server.request.start';
/** Set on `globalThis` once a copy of this package subscribed, so that copies subscribe once between them. */
const SUBSCRIBED = Symbol.for('@otel-server-timing/express.response-property/v1');

/** The property the middleware sets; a variable, so that the middleware's store is a keyed one. */
export const SERVER_TIMING_PROPERTY: string = 'serverTiming';

function giveServerTimingProperty(message: unknown): void {
  reserveResponseProperty(message, SERVER_TIMING_PROPERTY);
}

/**
 * Gives every HTTP/1 response an own, writable `serverTiming` property (`undefined`) as Node creates it,
 * before Express gives the response a prototype of its own. After that V8 adds a property to the response
 * in the runtime (about 2 µs, BENCHMARKS.md's response table), but stores into one it already has much
 * faster, which is what the middleware then does. A response the middleware does not run for keeps
 * `res.serverTiming === undefined`, as before. Once per process.
 */
export function reserveServerTimingProperty(): void {
  const global = globalThis as { [SUBSCRIBED]?: true };
  if (global[SUBSCRIBED]) return;
  global[SUBSCRIBED] = true;
  diagnosticsChannel.subscribe(REQUEST_START, giveServerTimingProperty);
}
