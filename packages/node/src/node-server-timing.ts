import { context, diag } from '@opentelemetry/api';
import { type RequestTarget, ServerTimingResponder } from '@otel-server-timing/core';
import { AUTOMATIC, headersSent, interceptResponses, setTimingOf, timingOf } from './interception.js';
import { type ResponseSettings, ResponseTiming } from './response-timing.js';
import type { NodeRequest, NodeResponse, NodeServerTimingOptions, ResponseServerTiming } from './types.js';

const OWNER = '@otel-server-timing/node';

let markAutomatic: (timing: NodeServerTiming) => void;

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Writes the `Server-Timing` header into `node:http`, `node:https` and `node:http2` (compatibility API)
 * responses. Construct one per configuration, then `attach` it to each response: the header is built
 * when the response's first byte goes out and carries what has finished by then.
 */
export class NodeServerTiming {
  #settings: ResponseSettings;

  static {
    markAutomatic = (timing) => {
      timing.#settings = { ...timing.#settings, automatic: true };
    };
  }

  /**
   * Validates options (a `TypeError` saying what to fix).
   * @param owner names the adapter in messages, e.g. `'@otel-server-timing/express'`.
   * @param moreOptions option names an adapter adds to {@link NodeServerTimingOptions}.
   */
  constructor(options?: NodeServerTimingOptions, owner: string = OWNER, moreOptions: readonly string[] = []) {
    const responder = new ServerTimingResponder<NodeRequest>(owner, options, ['trailers', ...moreOptions]);
    const trailers = options?.trailers;
    if (trailers !== undefined && typeof trailers !== 'boolean') {
      throw new TypeError(`${owner}: option \`trailers\` must be a boolean; got ${describe(trailers)}.`);
    }
    this.#settings = { owner, responder, trailers: trailers ?? false, automatic: false };
    interceptResponses();
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
    try {
      const settings = this.#settings;
      const attached = timingOf(response);
      if (attached !== undefined && (settings.automatic || !attached[AUTOMATIC])) {
        return attached as ResponseTiming;
      }
      if (headersSent(response)) return undefined;
      const exposure = settings.responder.exposure(request);
      if (exposure === undefined) {
        if (attached !== undefined) setTimingOf(response, undefined);
        settings.responder.skip(target ?? context.active());
        return undefined;
      }
      const corsRequest = exposure.exposeHeader && request.headers.origin !== undefined;
      const timing = new ResponseTiming(settings, target ?? context.active(), exposure, corsRequest);
      setTimingOf(response, timing);
      return timing;
    } catch (error) {
      diag.error(`${this.#settings.owner}: could not attach Server-Timing to a response`, error);
      return undefined;
    }
  }
}

/** The handle attached to `response`, if any. */
export function getResponseServerTiming(response: NodeResponse): ResponseServerTiming | undefined {
  return timingOf(response) as ResponseTiming | undefined;
}

/**
 * A `NodeServerTiming` for automatic hooks (instrumentation-http's `responseHook`, `instrumentServer`):
 * what it attaches gives way to an explicit `attach` by an adapter, whose options then apply.
 */
export function automaticServerTiming(
  options: NodeServerTimingOptions | undefined,
  owner: string,
): NodeServerTiming {
  const timing = new NodeServerTiming(options, owner);
  markAutomatic(timing);
  return timing;
}
