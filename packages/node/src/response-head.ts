import type { CacheableExchange } from '@otel-server-timing/core';
import {
  appendToList,
  forEachHeadersArgument,
  type HeaderAddition,
  headerKey,
  mergeIntoHeadersArgument,
} from './header-values.js';
import type { NodeResponse } from './types.js';

/** A header value as list text (lines joined with `, `), or `undefined` when there is none. */
function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** The lower-case names a `writeHead` headers argument sets, in order. */
function argumentNames(headers: object): string[] {
  if (!Array.isArray(headers)) {
    const names = Object.keys(headers);
    for (let index = 0; index < names.length; index++) names[index] = headerKey(names[index]);
    return names;
  }
  const names: string[] = [];
  forEachHeadersArgument(headers, (name) => names.push(headerKey(name)));
  return names;
}

/** The value a `writeHead` headers argument gives `name` (lower case): repeated names joined with `, `. */
function argumentValue(headers: object, name: string): string | undefined {
  let joined: string | undefined;
  forEachHeadersArgument(headers, (given, value) => {
    if (headerKey(given) !== name) return;
    const text = headerText(value) ?? '';
    joined = joined === undefined ? text : `${joined}, ${text}`;
  });
  return joined;
}

/**
 * A response about to send its head (inside `writeHead`), read once for what is decided there: whether a
 * shared cache may replay it, whether a trailer can follow it, and where the headers this package adds
 * go. Which headers are set is learnt once, as lower-case names, and only when first asked: those set
 * with `setHeader` (one `getHeaderNames` call rather than a `getHeader` per name asked, each of which
 * lower-cases its name) and those of the `writeHead` argument, which win, as Node merges the argument
 * over the others. Values are read only for names that are set: most responses set none of those asked.
 */
export class ResponseHead implements CacheableExchange {
  readonly method: string | undefined;
  readonly status: number;
  readonly #response: NodeResponse;
  /** The `writeHead` headers argument (an object, a `[name, value]` list or a flat list), if any. */
  readonly #argument: object | undefined;
  #argumentNames: string[] | undefined;
  #setNames: string[] | undefined;

  constructor(response: NodeResponse, statusCode: unknown, headers: unknown) {
    this.#response = response;
    this.method = response.req?.method;
    this.status = Number(statusCode ?? response.statusCode);
    this.#argument = headers !== null && typeof headers === 'object' ? headers : undefined;
  }

  /** Whether the `writeHead` call has a headers argument that the added headers are merged into. */
  get hasArgument(): boolean {
    return this.#argument !== undefined;
  }

  requestHeader(name: string): string | undefined {
    return headerText(this.#response.req?.headers[name]);
  }

  responseHeader(name: string): string | undefined {
    const argument = this.#argument;
    if (argument !== undefined && this.#inArgument(name)) return argumentValue(argument, name);
    return headerText(this.#setValue(name));
  }

  /** Whether the head will carry the header `name` (lower case). */
  declares(name: string): boolean {
    return (this.#argument !== undefined && this.#inArgument(name)) || this.#isSet(name);
  }

  /** Sets the additions on the response, each appended to the value set before. Without an argument only. */
  setOnResponse(additions: readonly HeaderAddition[]): void {
    for (const addition of additions) {
      this.#response.setHeader(addition.name, appendToList(this.#setValue(addition.key), addition));
    }
  }

  /**
   * A copy of the headers argument with the additions merged in, to hand on to Node's `writeHead` (the
   * caller's object is never changed). With an argument only.
   */
  mergeIntoArgument(additions: readonly HeaderAddition[]): object {
    const argument = this.#argument as object;
    if (Array.isArray(argument) || this.#argumentNamesAny(additions)) {
      return mergeIntoHeadersArgument(this.#response, argument, additions);
    }
    // An object that names none of them (what Fastify and @hono/node-server pass): a copy, then ours.
    // Object.assign rather than a spread: in V8 (Node 20) an object made by a spread and then given one
    // more property gets a hidden class of its own every time, made in the runtime, and Node's for-in
    // over it builds its enumeration cache again (about 5,000 instructions a response); copies made by
    // Object.assign share one. Only a `__proto__` header, which Object.assign would take for the
    // prototype, is spread.
    const copy: Record<string, unknown> = Object.hasOwn(argument, '__proto__')
      ? { ...argument }
      : Object.assign<Record<string, unknown>, object>({}, argument);
    for (const addition of additions) {
      copy[addition.name] = appendToList(this.#setValue(addition.key), addition);
    }
    return copy;
  }

  #argumentNamesAny(additions: readonly HeaderAddition[]): boolean {
    for (const addition of additions) if (this.#inArgument(addition.key)) return true;
    return false;
  }

  #inArgument(name: string): boolean {
    this.#argumentNames ??= argumentNames(this.#argument as object);
    return this.#argumentNames.includes(name);
  }

  #isSet(name: string): boolean {
    this.#setNames ??= this.#response.getHeaderNames();
    return this.#setNames.includes(name);
  }

  /** What `setHeader` set for `name` (lower case), read only when something was. */
  #setValue(name: string): unknown {
    return this.#isSet(name) ? this.#response.getHeader(name) : undefined;
  }
}
