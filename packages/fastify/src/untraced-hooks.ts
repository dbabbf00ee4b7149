import type { FastifyInstance } from 'fastify';

/**
 * `@fastify/otel` replaces an instance's `addHook` with one that wraps every lifecycle hook in a span,
 * and keeps Fastify's own `addHook` on the instance under a symbol of its own (described as below).
 * The Server-Timing hook needs no span (core's mapping would leave it out of the header anyway), and being
 * traced is most of what the hook costs a request, so it is added through the kept `addHook` when there
 * is one. Only the span of this one hook goes: `@fastify/otel` still makes its request span and the
 * spans of every other hook and handler.
 */
const KEPT_ADD_HOOK = 'fastify otel addhook original';

type AddHook = (this: FastifyInstance, name: string, hook: unknown) => unknown;

/** Fastify's own `addHook` as `@fastify/otel` kept it on `fastify` (or on an instance it inherits from). */
function keptAddHook(fastify: FastifyInstance): AddHook | undefined {
  for (let object: object | null = fastify; object !== null; object = Object.getPrototypeOf(object)) {
    for (const symbol of Object.getOwnPropertySymbols(object)) {
      if (symbol.description !== KEPT_ADD_HOOK) continue;
      const kept = (object as Record<symbol, unknown>)[symbol];
      return typeof kept === 'function' ? (kept as AddHook) : undefined;
    }
  }
  return undefined;
}

/**
 * Adds `hook` as `addHook` would, but below `@fastify/otel`'s tracing when it is installed. Returns
 * whether the hook may still be traced (no kept `addHook` was found, so the instance's own was used).
 */
export function addUntracedHook(fastify: FastifyInstance, name: 'onRequest', hook: unknown): boolean {
  const kept = keptAddHook(fastify);
  (kept ?? (fastify.addHook as unknown as AddHook)).call(fastify, name, hook);
  return kept === undefined;
}
