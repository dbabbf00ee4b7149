import diagnosticsChannel from 'node:diagnostics_channel';
import http from 'node:http';
import http2 from 'node:http2';
import type { NodeResponse } from './types.js';

/**
 * The version of what the interception and a response's timing state call on each other. Every key
 * below is a `Symbol.for` key with this suffix, so the ESM and the CommonJS copy of this package (and any
 * copies of the same version) share one interception and each other's responses. Copies of another
 * version install an interception of their own and leave responses they did not attach alone. `v2`:
 * `end` is wrapped only once an adapter asks for trailers (`v1` always wrapped it, and its timing states
 * count on that, so a `v1` copy must not take this interception for its own).
 */
const VERSION = 'v2';

/** Where a response carries its timing state. */
export const RESPONSE_TIMING: unique symbol = Symbol.for(
  `@otel-server-timing/node.response-timing/${VERSION}`,
);
/** Method a response's timing state runs before Node stores the headers. */
export const BEFORE_HEAD: unique symbol = Symbol.for(`@otel-server-timing/node.before-head/${VERSION}`);
/** Method a response's timing state runs when the application ends the response (`end` intercepted). */
export const BEFORE_END: unique symbol = Symbol.for(`@otel-server-timing/node.before-end/${VERSION}`);
/** `true` while the state was attached by an automatic hook and may still be replaced by an explicit attach. */
export const AUTOMATIC: unique symbol = Symbol.for(`@otel-server-timing/node.automatic/${VERSION}`);
/** On an intercepted prototype: its own methods before the interception, and the wrappers installed. */
const INTERCEPTED: unique symbol = Symbol.for(`@otel-server-timing/node.intercepted/${VERSION}`);

/** What the interception calls on a response that carries timing state. */
export interface InterceptedTiming {
  /** Returns the headers argument to hand on to Node's `writeHead` (the given one, or a copy with ours). */
  [BEFORE_HEAD](response: NodeResponse, statusCode: unknown, headers: unknown): unknown;
  [BEFORE_END](response: NodeResponse): void;
  readonly [AUTOMATIC]: boolean;
}

type Intercepted = NodeResponse & { [RESPONSE_TIMING]?: InterceptedTiming };
type ResponseMethod = (this: Intercepted, ...args: unknown[]) => unknown;
type Methods = { writeHead: ResponseMethod; end: ResponseMethod };
/** What the interception replaced and put in place; `end` only once it is wrapped. */
type Installed = {
  originals: Pick<Methods, 'writeHead'> & Partial<Methods>;
  wrappers: Pick<Methods, 'writeHead'> & Partial<Methods>;
  unsubscribe: () => void;
};
type ResponsePrototype = Methods & { [INTERCEPTED]?: Installed };

/**
 * A `writeHead` for one response prototype around its `original`. Every way Node sends response headers
 * goes through it: an explicit `writeHead`, and the implicit headers of the first `write`/`end` and of
 * `flushHeaders` (`ServerResponse#_implicitHeader` calls `this.writeHead`; the http2 compatibility
 * response calls `this.writeHead` from `write`, `end` and `flushHeaders`). Responses without timing state
 * pay one property read.
 */
function interceptedWriteHead(original: ResponseMethod): ResponseMethod {
  return function writeHead(this: Intercepted, statusCode: unknown, reason: unknown, headers: unknown) {
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
  } as ResponseMethod;
}

/**
 * An `end` around `original`, for trailers: they must be added before the final chunk. Installed only
 * when an adapter asks for trailers: without them nothing needs to know when `end` is called (its
 * implicit headers go through `writeHead`), and every response would pay for the wrapper.
 */
function interceptedEnd(original: ResponseMethod): ResponseMethod {
  return function end(this: Intercepted, chunk: unknown, encoding: unknown, callback: unknown) {
    timingOf(this)?.[BEFORE_END](this);
    return original.call(this, chunk, encoding, callback);
  } as ResponseMethod;
}

/** Node publishes every HTTP/1 request here before the server's `request` listeners run. */
const REQUEST_START = 'http.server.request.start';

/**
 * Gives the response of an `http.server.request.start` message an own `key` (`undefined`) as Node creates
 * it, before any framework touches it; a response that has one keeps it. Express gives every response a
 * prototype of its own, and every property it adds after that gives the response a map (V8's hidden
 * class) no other response has. V8 then adds a property in the runtime (about 2 µs), and even a store into
 * a property the response already has goes through the runtime while that property is still marked
 * constant (never written since it was added): the mark is cleared in each response's own map. So the
 * property is added and then written once more, here, while every response still shares one map: V8 clears
 * the mark in that map, once per process, and the responses' own maps inherit it. A later store then costs
 * about half (0.25 µs less, micro-benchmark on Express 5 and Node 20). For every adapter that gives
 * responses a property of its own.
 */
export function reserveResponseProperty(message: unknown, key: PropertyKey): void {
  const response = (message as { response?: Record<PropertyKey, unknown> | null } | null)?.response;
  if (response !== undefined && response !== null && !Object.hasOwn(response, key)) {
    response[key] = null;
    response[key] = undefined;
  }
}

/** Gives each HTTP/1 response its timing slot (empty), so that every response has it where it is read. */
function giveTimingSlot(message: unknown): void {
  reserveResponseProperty(message, RESPONSE_TIMING);
}

function intercept(prototype: ResponsePrototype, requestStart: string | undefined, wrapEnd: boolean): void {
  let installed = Object.hasOwn(prototype, INTERCEPTED) ? prototype[INTERCEPTED] : undefined;
  if (installed === undefined) {
    const writeHead = prototype.writeHead;
    installed = {
      originals: { writeHead },
      wrappers: { writeHead: interceptedWriteHead(writeHead) },
      unsubscribe: () => {},
    };
    prototype.writeHead = installed.wrappers.writeHead;
    if (requestStart !== undefined) {
      diagnosticsChannel.subscribe(requestStart, giveTimingSlot);
      installed.unsubscribe = () => diagnosticsChannel.unsubscribe(requestStart, giveTimingSlot);
    }
    Object.defineProperty(prototype, INTERCEPTED, { value: installed, configurable: true });
  }
  if (wrapEnd && installed.wrappers.end === undefined) {
    const end = interceptedEnd(prototype.end);
    installed.originals.end = prototype.end;
    installed.wrappers.end = end;
    prototype.end = end;
  }
}

/**
 * Puts the prototype's own methods back, unless something wrapped them again after the interception:
 * taking ours out from under that would also take out the later wrapper, so then ours stays (responses
 * without timing state pass through it unchanged). Returns whether the prototype is back as it was.
 */
function restore(prototype: ResponsePrototype): boolean {
  const installed = Object.hasOwn(prototype, INTERCEPTED) ? prototype[INTERCEPTED] : undefined;
  if (installed === undefined) return true;
  const { originals, wrappers } = installed;
  if (prototype.writeHead !== wrappers.writeHead) return false;
  if (wrappers.end !== undefined && prototype.end !== wrappers.end) return false;
  prototype.writeHead = originals.writeHead;
  if (originals.end !== undefined) prototype.end = originals.end;
  installed.unsubscribe();
  delete prototype[INTERCEPTED];
  return true;
}

const PROTOTYPES = [http.ServerResponse.prototype, http2.Http2ServerResponse.prototype] as unknown as [
  ResponsePrototype,
  ResponsePrototype,
];
/** The diagnostics channel that announces each prototype's responses (none for http2's). */
const ANNOUNCED_BY = [REQUEST_START, undefined];

/** Whether an adapter of this copy asked for trailers: `end` is then wrapped too, also when re-installed. */
let endWanted = false;

/**
 * Installs the interception of `writeHead` on `http.ServerResponse.prototype` (also used by `https`) and
 * `http2.Http2ServerResponse.prototype`, and of `end` once `trailers` was asked for: once per process
 * whatever the number of copies of this package of this version.
 */
export function interceptResponses(trailers = false): void {
  endWanted ||= trailers;
  for (const [index, prototype] of PROTOTYPES.entries()) {
    intercept(prototype, ANNOUNCED_BY[index], endWanted);
  }
}

/**
 * Removes what {@link interceptResponses} installed, where nothing wrapped the methods again since.
 * Responses already attached keep their state but no longer get a header. Returns whether both
 * prototypes are back as they were.
 */
export function removeResponseInterception(): boolean {
  let restored = true;
  for (const prototype of PROTOTYPES) restored = restore(prototype) && restored;
  return restored;
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

/** Node's field for an HTTP/1 response's serialized head. */
const HEAD: string = '_header';

/**
 * `response.headersSent` without the prototype getter where possible (see {@link timingOf}): HTTP/1
 * responses keep the serialized head in their own `_header` field, which the getter tests.
 */
export function headersSent(response: NodeResponse): boolean {
  // A computed key on purpose: V8 resolves `response._header` on an Express response (a map of its own)
  // in the runtime, a keyed read of an own property in its generic lookup, about four times faster.
  const head = (response as unknown as Record<string, unknown>)[HEAD];
  return head === undefined ? response.headersSent : Boolean(head);
}

/** Gives a response its timing state. */
export function setTimingOf(response: NodeResponse, timing: InterceptedTiming | undefined): void {
  (response as Intercepted)[RESPONSE_TIMING] = timing;
}
