import { diag } from '@opentelemetry/api';
import { markOwnWork } from '@otel-server-timing/core';
import type { ResponseServerTiming } from '@otel-server-timing/node';
import { AdapterServerTiming, NO_SERVER_TIMING } from '@otel-server-timing/node/internal';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { routeConfig } from './route-config.js';
import type { FastifyServerTimingOptions, FastifyServerTimingPlugin } from './types.js';
import { addUntracedHook } from './untraced-hooks.js';

const OWNER = '@otel-server-timing/fastify';
/** Options Fastify's `register` itself takes; accepted here and left to Fastify. */
const REGISTER_OPTIONS = ['prefix', 'logLevel', 'logSerializers'];

function serverTimingPlugin(
  fastify: FastifyInstance,
  options: FastifyServerTimingOptions,
  done: (error?: Error) => void,
): void {
  let timing: AdapterServerTiming<FastifyRequest>;
  try {
    timing = new AdapterServerTiming(options, { owner: OWNER, moreOptions: REGISTER_OPTIONS });
  } catch (error) {
    // Fastify reports it from `ready()`/`listen()`; thrown here it would be an uncaught exception.
    done(error as Error);
    return;
  }
  // `null` on the prototype keeps the reply's shape stable; the hook sets every reply's own handle.
  fastify.decorateReply('serverTiming', null as unknown as ResponseServerTiming);
  // Where `@fastify/otel` (or anything else) still makes a span of this hook, that span times this
  // library: each call marks it as such.
  const traced = addUntracedHook(
    fastify,
    'onRequest',
    function serverTimingMiddleware(request: FastifyRequest, reply: FastifyReply, hookDone: () => void) {
      if (traced) markOwnWork();
      let handle: ResponseServerTiming | undefined;
      try {
        if (routeConfig(request)?.serverTiming !== false) {
          handle = timing.attach(request, request.raw, reply.raw);
        }
      } catch (error) {
        diag.error(`${OWNER}: could not attach Server-Timing to a response`, error);
      }
      // One store per reply, once the handle is known.
      reply.serverTiming = handle ?? NO_SERVER_TIMING;
      hookDone();
    },
  );
  done();
}

Object.assign(serverTimingPlugin, {
  // fastify-plugin's markers: apply to the whole app rather than to an encapsulated child context.
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: OWNER,
  [Symbol.for('plugin-meta')]: { name: OWNER, fastify: '4.x || 5.x' },
});

/**
 * Fastify (4 and 5) plugin that writes each request's OpenTelemetry timings into the `Server-Timing`
 * response header at the response's first byte: the finished child spans (database, outgoing HTTP,
 * hooks…), `total`, and the server span's `traceparent`. Register it once (`app.register(serverTiming)`);
 * it applies to the whole app. Handlers add their own metrics with `reply.serverTiming.add(...)`; a
 * route opts out with `config: { serverTiming: false }`.
 *
 * Invalid options fail the registration (`app.ready()` rejects) with a `TypeError` saying what to fix;
 * nothing throws on a request.
 */
export const serverTiming = serverTimingPlugin as FastifyServerTimingPlugin;
