import { appendToListHeader } from '@otel-server-timing/core';
import type { NodeResponse } from './types.js';

/** A header this package adds to a response; `value` is appended to the application's own value. */
export type HeaderAddition = {
  readonly name: string;
  /** `name` in lower case, as header names are compared. */
  readonly key: string;
  readonly value: string;
  /** Append only the comma-separated items the existing value does not list yet (case-insensitive). */
  readonly unique: boolean;
};

/** `existing, ours` — the application's value first, never replaced. */
export function appendToList(existing: unknown, addition: HeaderAddition): string {
  return appendToListHeader(existing, addition.value, addition.unique);
}

/** A header name as names are compared: trimmed, in lower case (`''` for anything but a string). */
export function headerKey(name: unknown): string {
  return typeof name === 'string' ? name.trim().toLowerCase() : '';
}

/** Longest key of the additions: names longer than that cannot be one of them, whatever their case. */
function longestKey(additions: readonly HeaderAddition[]): number {
  let longest = 0;
  for (const addition of additions) if (addition.key.length > longest) longest = addition.key.length;
  return longest;
}

/** Which addition a header name of the `writeHead` argument is, or `-1`. */
function additionIndex(additions: readonly HeaderAddition[], name: unknown, longest: number): number {
  // Most names are none of ours: only those short enough are trimmed and lower-cased (which allocates).
  if (
    typeof name !== 'string' ||
    name.length === 0 ||
    (name.length > longest && name.trim().length > longest)
  )
    return -1;
  const key = headerKey(name);
  for (let index = 0; index < additions.length; index++) {
    if ((additions[index] as HeaderAddition).key === key) return index;
  }
  return -1;
}

/**
 * Values the `writeHead` argument gives for the additions' headers, by addition, created on the first
 * one found (most arguments name none of them).
 */
type FoundValues = (unknown[] | undefined)[] | undefined;

function remember(found: FoundValues, count: number, index: number, value: unknown): FoundValues {
  const values = found === undefined ? new Array<unknown[] | undefined>(count) : found;
  const own = values[index];
  if (own === undefined) values[index] = [value];
  else own.push(value);
  return values;
}

/** The addition's merged value: appended to what the argument gave, else to what `setHeader` set. */
function mergedValue(response: NodeResponse, addition: HeaderAddition, found: FoundValues, index: number) {
  const given = found === undefined ? undefined : found[index];
  return appendToList(given === undefined ? response.getHeader(addition.name) : given, addition);
}

/**
 * Returns a copy of the headers argument of `writeHead` (an object, a flat `[name, value, ...]` list or a
 * list of `[name, value]` pairs) with the additions merged in, in the same shape. Where the argument does
 * not name a header, the value set earlier with `setHeader` is the existing one, because `writeHead`
 * merges its argument over those. Runs on every response whose framework passes headers to `writeHead`
 * (Fastify does), so it allocates only the copy unless the argument names one of the added headers.
 */
export function mergeIntoHeadersArgument(
  response: NodeResponse,
  headers: object,
  additions: readonly HeaderAddition[],
): object {
  const count = additions.length;
  const longest = longestKey(additions);
  let found: FoundValues;
  if (!Array.isArray(headers)) {
    const copy: Record<string, unknown> = {};
    for (const name of Object.keys(headers)) {
      const value = (headers as Record<string, unknown>)[name];
      const index = additionIndex(additions, name, longest);
      if (index === -1) copy[name] = value;
      else found = remember(found, count, index, value);
    }
    for (let index = 0; index < count; index++) {
      const addition = additions[index] as HeaderAddition;
      copy[addition.name] = mergedValue(response, addition, found, index);
    }
    return copy;
  }
  if (headers.length > 0 && Array.isArray(headers[0])) {
    const pairs: unknown[][] = [];
    for (const pair of headers as unknown[][]) {
      const index = additionIndex(additions, pair[0], longest);
      if (index === -1) pairs.push(pair);
      else found = remember(found, count, index, pair[1]);
    }
    for (let index = 0; index < count; index++) {
      const addition = additions[index] as HeaderAddition;
      pairs.push([addition.name, mergedValue(response, addition, found, index)]);
    }
    return pairs;
  }
  if (headers.length % 2 !== 0) return headers; // Node rejects it with ERR_INVALID_ARG_VALUE.
  const flat: unknown[] = [];
  for (let at = 0; at < headers.length; at += 2) {
    const index = additionIndex(additions, headers[at], longest);
    if (index === -1) flat.push(headers[at], headers[at + 1]);
    else found = remember(found, count, index, headers[at + 1]);
  }
  for (let index = 0; index < count; index++) {
    const addition = additions[index] as HeaderAddition;
    flat.push(addition.name, mergedValue(response, addition, found, index));
  }
  return flat;
}

/**
 * Calls `visit` with each name and value a `writeHead` headers argument sets, in order: an object, a list
 * of `[name, value]` pairs, or a flat `[name, value, name, value, …]` list (an odd last name gets
 * `undefined`). Anything else sets nothing.
 */
export function forEachHeadersArgument(
  headers: unknown,
  visit: (name: unknown, value: unknown) => void,
): void {
  if (headers === null || typeof headers !== 'object') return;
  if (!Array.isArray(headers)) {
    for (const name of Object.keys(headers)) visit(name, (headers as Record<string, unknown>)[name]);
  } else if (headers.length > 0 && Array.isArray(headers[0])) {
    for (const pair of headers as unknown[][]) visit(pair[0], pair[1]);
  } else {
    for (let index = 0; index < headers.length; index += 2) visit(headers[index], headers[index + 1]);
  }
}
