import { optionError } from '../options.js';
import { toMetricName } from '../token.js';
import type { DownstreamOptions } from '../types.js';

/** Default of `downstream.maxDepth`: a downstream's own metrics and those it folded from its own downstreams. */
export const DEFAULT_MAX_DEPTH = 2;
const MAX_MAX_DEPTH = 8;
/** Longest prefix written; a default one is cut to it. */
const MAX_PREFIX_LENGTH = 32;
/** A header token without `.`: the dot separates a prefix from the name it prefixes. */
const PREFIX = /^[!#$%&'*+\-^_`|~0-9A-Za-z]{1,32}$/;
const IP_LITERAL = /^(?:[\d.]+|\[.*\])$/;

/** The checked `downstream` option: which outgoing calls are folded, and under which prefix. */
export type DownstreamSettings = {
  /** The prefix of the downstream that `url` reaches, or `undefined` when it is not opted in. Never throws. */
  prefixFor(url: URL): string | undefined;
  maxDepth: number;
};

/**
 * The default prefix of a downstream: the first label of its host name (`shipping` for
 * `shipping.internal`), or, for an IP address, the address and port with `_` for the dots
 * (`127_0_0_1_3001`).
 */
export function defaultPrefix(url: URL): string {
  const host = url.hostname;
  const base = IP_LITERAL.test(host) ? `${host}${url.port === '' ? '' : `_${url.port}`}` : host.split('.')[0];
  return toPrefix(base ?? '');
}

/** Any text made into a prefix: a token without dots, at most 32 characters. */
function toPrefix(raw: string): string {
  return toMetricName(raw.replace(/\./g, '_')).slice(0, MAX_PREFIX_LENGTH);
}

function originOf(owner: string, entry: unknown): string {
  const fix = 'an origin such as "https://shipping.internal:8443" (scheme, host, optional port; no path)';
  if (typeof entry !== 'string') throw optionError(owner, 'downstream.origins[]', fix, entry);
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw optionError(owner, 'downstream.origins[]', fix, entry);
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) {
    throw optionError(owner, 'downstream.origins[]', fix, entry);
  }
  return url.origin;
}

function checkPrefix(owner: string, prefix: unknown): string {
  if (typeof prefix === 'string' && PREFIX.test(prefix)) return prefix;
  throw optionError(owner, 'downstream prefix', 'a header token without dots, 1 to 32 characters', prefix);
}

function fromList(owner: string, entries: readonly unknown[]): Map<string, string> {
  const prefixes = new Map<string, string>();
  for (const entry of entries) {
    if (entry !== null && typeof entry === 'object') {
      const { origin, prefix } = entry as { origin?: unknown; prefix?: unknown };
      const normalised = originOf(owner, origin);
      prefixes.set(
        normalised,
        prefix === undefined ? defaultPrefix(new URL(normalised)) : checkPrefix(owner, prefix),
      );
    } else {
      const normalised = originOf(owner, entry);
      prefixes.set(normalised, defaultPrefix(new URL(normalised)));
    }
  }
  return prefixes;
}

/** Checks the `downstream` option; `undefined` when it is not given (nothing is folded). */
export function checkDownstreamOptions(owner: string, value: unknown): DownstreamSettings | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw optionError(
      owner,
      'downstream',
      'an object such as { origins: ["https://shipping.internal"] }',
      value,
    );
  }
  const { origins, maxDepth, ...unknown } = value as DownstreamOptions;
  const extra = Object.keys(unknown)[0];
  if (extra !== undefined) {
    throw new TypeError(
      `${owner}: unknown option \`downstream.${extra}\`. Known options: origins, maxDepth.`,
    );
  }
  const depth = maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_MAX_DEPTH) {
    throw optionError(owner, 'downstream.maxDepth', `an integer from 1 to ${MAX_MAX_DEPTH}`, maxDepth);
  }
  if (typeof origins === 'function') {
    const decide = origins;
    return {
      maxDepth: depth,
      prefixFor(url) {
        const decided = decide(url);
        if (decided === true) return defaultPrefix(url);
        return typeof decided === 'string' && decided !== '' ? toPrefix(decided) : undefined;
      },
    };
  }
  if (!Array.isArray(origins)) {
    throw optionError(
      owner,
      'downstream.origins',
      'a list of origins (or { origin, prefix } entries), or a function of the URL',
      origins,
    );
  }
  const prefixes = fromList(owner, origins);
  return { maxDepth: depth, prefixFor: (url) => prefixes.get(url.origin) };
}
