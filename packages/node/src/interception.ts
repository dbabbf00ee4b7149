import http from 'node:http';
import http2 from 'node:http2';
import type { NodeResponse } from './types.js';

/** Where a response carries its timing state. `Symbol.for`, so an ESM and a CJS copy share responses. */
export const RESPONSE_TIMING = Symbol.for('@otel-server-timing/node.response-timing');
/** Method a response's timing state runs before Node stores the headers. */
export const BEFORE_HEAD = Symbol.for('@otel-server-timing/node.before-head');
/** Method a response's timing state runs when the application ends the response. */
export const BEFORE_END = Symbol.for('@otel-server-timing/node.before-end');
/** `true` while the state was attached by an automatic hook and may still be replaced by an explicit attach. */
export const AUTOMATIC = Symbol.for('@otel-server-timing/node.automatic');
const INTERCEPTED = Symbol.for('@otel-server-timing/node.intercepted');

/** What the interception calls on a response that carries timing state. */
export interface InterceptedTiming {
  /** Returns the headers argument to hand on to Node's `writeHead` (the given one, or a copy with ours). */
  [BEFORE_HEAD](response: NodeResponse, statusCode: unknown, headers: unknown): unknown;
  [BEFORE_END](response: NodeResponse): void;
  readonly [AUTOMATIC]: boolean;
}

type Intercepted = NodeResponse & { [RESPONSE_TIMING]?: InterceptedTiming };
type ResponsePrototype = {
  writeHead: (this: Intercepted, ...args: unknown[]) => unknown;
  end: (this: Intercepted, ...args: unknown[]) => unknown;
  [INTERCEPTED]?: true;
};

/**
 * Wraps `writeHead` of one response prototype. Every way Node sends response headers goes through it:
 * an explicit `writeHead`, and the implicit headers of the first `write`/`end` and of `flushHeaders`
 * (`ServerResponse#_implicitHeader` calls `this.writeHead`; the http2 compatibility response calls
 * `this.writeHead` from `write`, `end` and `flushHeaders`). Responses without timing state pay one
 * property read.
 */
function interceptWriteHead(prototype: ResponsePrototype): void {
  const original = prototype.writeHead;
  prototype.writeHead = function writeHead(
    this: Intercepted,
    statusCode: unknown,
    reason: unknown,
    headers: unknown,
  ) {
    const timing = timingOf(this);
    // Node's writeHead and end declare their parameters, so passing absent ones as `undefined` is the same.
    if (timing === undefined) return original.call(this, statusCode, reason, headers);
    // Node reads the headers from the third argument, or from the second when no reason phrase is given.
    if (typeof reason === 'string' || (headers !== undefined && headers !== null)) {
      headers = timing[BEFORE_HEAD](this, statusCode, headers);
    } else {
      reason = timing[BEFORE_HEAD](this, statusCode, reason);
    }
    return original.call(this, statusCode, reason, headers);
  };
}

/** Wraps `end` of one response prototype, for trailers: they must be added before the final chunk. */
function interceptEnd(prototype: ResponsePrototype): void {
  const original = prototype.end;
  prototype.end = function end(this: Intercepted, chunk: unknown, encoding: unknown, callback: unknown) {
    timingOf(this)?.[BEFORE_END](this);
    return original.call(this, chunk, encoding, callback);
  };
}

function intercept(prototype: ResponsePrototype): void {
  if (prototype[INTERCEPTED]) return;
  interceptWriteHead(prototype);
  interceptEnd(prototype);
  Object.defineProperty(prototype, INTERCEPTED, { value: true });
}

/**
 * Installs the interception on `http.ServerResponse.prototype` (also used by `https`) and
 * `http2.Http2ServerResponse.prototype`, once per process whatever the number of copies of this package.
 */
export function interceptResponses(): void {
  intercept(http.ServerResponse.prototype as unknown as ResponsePrototype);
  intercept(http2.Http2ServerResponse.prototype as unknown as ResponsePrototype);
}

/**
 * The timing state a response carries, if any. Looks at own properties only: Express replaces the
 * prototype of every response (`Object.setPrototypeOf(res, app.response)`), after which V8 resolves each
 * property missing from the object, or found on its prototypes, in the runtime (about 1 µs each, measured
 * on Express 5 and Node 20), while an own-property check stays fast. Every response passes here twice.
 */
export function timingOf(response: NodeResponse): InterceptedTiming | undefined {
  return Object.hasOwn(response, RESPONSE_TIMING) ? (response as Intercepted)[RESPONSE_TIMING] : undefined;
}

/**
 * `response.headersSent` without the prototype getter where possible (see {@link timingOf}): HTTP/1
 * responses keep the serialized head in their own `_header` field, which the getter tests.
 */
export function headersSent(response: NodeResponse): boolean {
  const head = (response as { _header?: unknown })._header;
  return head === undefined ? response.headersSent : Boolean(head);
}

/** Gives a response its timing state. */
export function setTimingOf(response: NodeResponse, timing: InterceptedTiming | undefined): void {
  (response as Intercepted)[RESPONSE_TIMING] = timing;
}
