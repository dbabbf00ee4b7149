import type { RequestTarget } from '@otel-server-timing/core';
import { AdapterServerTiming } from './adapter-server-timing.js';
import { timingOf } from './interception.js';
import type { ResponseTiming } from './response-timing.js';
import type { NodeRequest, NodeResponse, NodeServerTimingOptions, ResponseServerTiming } from './types.js';

const OWNER = '@otel-server-timing/node';

/**
 * Writes the `Server-Timing` header into `node:http`, `node:https` and `node:http2` (compatibility API)
 * responses. Construct one per configuration, then `attach` it to each response: the header is built
 * when the response's first byte goes out and carries what has finished by then.
 */
export class NodeServerTiming {
  readonly #timing: AdapterServerTiming<NodeRequest>;

  /** Validates options (a `TypeError` saying what to fix). */
  constructor(options?: NodeServerTimingOptions) {
    this.#timing = new AdapterServerTiming(options, { owner: OWNER });
  }

  /**
   * Arranges for `response` to carry the header when its first byte goes out. `target` is the request's
   * Context or any Span of the request (default: `context.active()` now). Returns the handle, or
   * `undefined` when timings are disabled for this request (`enabled`) or the headers are already sent.
   * Attaching the same response twice returns the first handle, except that an explicit attach (an
   * adapter) replaces one made by an automatic hook before anything was added to it. Never throws.
   */
  attach(
    request: NodeRequest,
    response: NodeResponse,
    target?: RequestTarget,
  ): ResponseServerTiming | undefined {
    return this.#timing.attach(request, request, response, target);
  }
}

/** The handle attached to `response`, if any. */
export function getResponseServerTiming(response: NodeResponse): ResponseServerTiming | undefined {
  return timingOf(response) as ResponseTiming | undefined;
}
