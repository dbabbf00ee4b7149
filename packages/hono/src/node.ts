/**
 * The entry Node loads (the `node` export condition): the same API as `./index.ts`, with a middleware
 * that under `@hono/node-server` writes through the Node response. Other runtimes (Workers, Deno, Bun,
 * edge bundles) load `./index.ts`, which imports nothing of Node.
 */
import type { MiddlewareHandler } from 'hono';
import { serverTimingMiddleware } from './middleware.js';
import { NodeResponses } from './node-responses.js';
import type { HonoServerTimingOptions, ServerTimingVariables } from './types.js';

export * from './index.js';

/** The main entry's `serverTiming`, taking the Node path under `@hono/node-server`. */
export function serverTiming(
  options?: HonoServerTimingOptions,
): MiddlewareHandler<{ Variables: ServerTimingVariables }> {
  return serverTimingMiddleware(options, new NodeResponses(options));
}
