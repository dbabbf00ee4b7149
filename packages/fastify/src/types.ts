import type { ServerTimingOptions } from '@otel-server-timing/core';
import type { NodeServerTimingOptions, ResponseServerTiming } from '@otel-server-timing/node';
import type { FastifyRequest } from 'fastify';

/**
 * Options of the {@link serverTiming} plugin. The per-request functions (`enabled`, `crossOrigin`,
 * `descriptions`) receive the Fastify `request` and run once per request, in its `onRequest` hook.
 */
export type FastifyServerTimingOptions = ServerTimingOptions<FastifyRequest> &
  Pick<NodeServerTimingOptions, 'trailers'>;

/**
 * The type of the {@link serverTiming} plugin: a Fastify plugin callback that accepts the instance of
 * any installed copy of Fastify 4 or 5. An app's `register` may come from another copy of fastify than
 * the one this package's types resolve: `@nestjs/platform-fastify` pins its own, and the instance types
 * of two copies are not assignable to each other (TS2345 on `app.register(serverTiming)`). The plugin
 * therefore asks nothing of the instance's type.
 */
export type FastifyServerTimingPlugin = (
  instance: unknown,
  options: FastifyServerTimingOptions,
  done: (error?: Error) => void,
) => void;

declare module 'fastify' {
  interface FastifyReply {
    /**
     * This response's Server-Timing: `reply.serverTiming.add({ name, duration, description })` adds a
     * metric of the application's own. A no-op when timings are disabled for the request. Never throws.
     */
    serverTiming: ResponseServerTiming;
  }

  interface FastifyContextConfig {
    /** `false` turns Server-Timing off for this route: `app.get('/health', { config: { serverTiming: false } }, …)`. */
    serverTiming?: boolean;
  }
}
