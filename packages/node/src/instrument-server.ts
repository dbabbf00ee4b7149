import type { Server as HttpServer } from 'node:http';
import type { Http2SecureServer, Http2Server } from 'node:http2';
import type { Server as HttpsServer } from 'node:https';
import { AdapterServerTiming } from './adapter-server-timing.js';
import type { NodeRequest, NodeResponse, NodeServerTimingOptions } from './types.js';

/** Servers whose `'request'` event carries a Node request and response. */
export type InstrumentableServer = HttpServer | HttpsServer | Http2Server | Http2SecureServer;

/**
 * Attaches Server-Timing to every response of `server` (`node:http`, `node:https`, or the `node:http2`
 * compatibility API), for applications without a framework adapter. Adds one `'request'` listener ahead
 * of the others; the target is the context active when the event fires, which instrumentation-http sets
 * to the request's server span. Returns `server`.
 */
export function instrumentServer<TServer extends InstrumentableServer>(
  server: TServer,
  options?: NodeServerTimingOptions,
): TServer {
  const timing = new AdapterServerTiming(options, {
    owner: '@otel-server-timing/node instrumentServer',
    automatic: true,
  });
  (server as HttpServer).prependListener('request', (request: NodeRequest, response: NodeResponse) => {
    timing.attach(request, request, response);
  });
  return server;
}
