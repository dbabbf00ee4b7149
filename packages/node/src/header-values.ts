import type { NodeResponse } from './types.js';

/** A header this package adds to a response; `value` is appended to the application's own value. */
export type HeaderAddition = {
  readonly name: string;
  readonly value: string;
  /** Append only the comma-separated items the existing value does not list yet (case-insensitive). */
  readonly unique: boolean;
};

function asListText(value: unknown): string {
  if (Array.isArray(value)) return value.map(asListText).join(', ');
  return value === undefined || value === null ? '' : String(value);
}

/** `existing, ours` — the application's value first, never replaced. */
export function appendToList(existing: unknown, addition: HeaderAddition): string {
  const text = asListText(existing).trim();
  if (text === '') return addition.value;
  if (!addition.unique) return `${text}, ${addition.value}`;
  const listed = new Set(text.split(',').map((item) => item.trim().toLowerCase()));
  const missing = addition.value.split(', ').filter((item) => !listed.has(item.toLowerCase()));
  return missing.length === 0 ? text : `${text}, ${missing.join(', ')}`;
}

/** Adds a header through the progressive API (`getHeader`/`setHeader`). */
export function appendResponseHeader(response: NodeResponse, addition: HeaderAddition): void {
  response.setHeader(addition.name, appendToList(response.getHeader(addition.name), addition));
}

function headerKey(name: unknown): string {
  return typeof name === 'string' ? name.trim().toLowerCase() : '';
}

/**
 * Returns a copy of the headers argument of `writeHead` (an object, a flat `[name, value, ...]` list or a
 * list of `[name, value]` pairs) with the additions merged in, in the same shape. Where the argument does
 * not name a header, the value set earlier with `setHeader` is the existing one, because `writeHead`
 * merges its argument over those.
 */
export function mergeIntoHeadersArgument(
  response: NodeResponse,
  headers: object,
  additions: readonly HeaderAddition[],
): object {
  const found = new Map<string, unknown[]>();
  const wanted = new Set(additions.map((addition) => addition.name.toLowerCase()));
  const keep = (name: unknown, value: unknown): boolean => {
    const key = headerKey(name);
    if (!wanted.has(key)) return true;
    found.set(key, [...(found.get(key) ?? []), value]);
    return false;
  };
  const merged = (addition: HeaderAddition): string =>
    appendToList(found.get(addition.name.toLowerCase()) ?? response.getHeader(addition.name), addition);

  if (!Array.isArray(headers)) {
    const copy: Record<string, unknown> = {};
    for (const name of Object.keys(headers)) {
      const value = (headers as Record<string, unknown>)[name];
      if (keep(name, value)) copy[name] = value;
    }
    for (const addition of additions) copy[addition.name] = merged(addition);
    return copy;
  }
  if (headers.length > 0 && Array.isArray(headers[0])) {
    const pairs = (headers as unknown[][]).filter((pair) => keep(pair[0], pair[1]));
    for (const addition of additions) pairs.push([addition.name, merged(addition)]);
    return pairs;
  }
  if (headers.length % 2 !== 0) return headers; // Node rejects it with ERR_INVALID_ARG_VALUE.
  const flat: unknown[] = [];
  for (let index = 0; index < headers.length; index += 2) {
    if (keep(headers[index], headers[index + 1])) flat.push(headers[index], headers[index + 1]);
  }
  for (const addition of additions) flat.push(addition.name, merged(addition));
  return flat;
}

/** The lower-case names a `writeHead` headers argument sets. */
export function headersArgumentNames(headers: unknown): Set<string> {
  const names = new Set<string>();
  if (headers === null || typeof headers !== 'object') return names;
  if (!Array.isArray(headers)) {
    for (const name of Object.keys(headers)) names.add(headerKey(name));
  } else if (headers.length > 0 && Array.isArray(headers[0])) {
    for (const pair of headers as unknown[][]) names.add(headerKey(pair[0]));
  } else {
    for (let index = 0; index < headers.length; index += 2) names.add(headerKey(headers[index]));
  }
  return names;
}
