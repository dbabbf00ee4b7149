import { optionError } from '../options.js';
import { toMetricName } from '../token.js';
import type { ServerTimingProcessorOptions } from '../types.js';

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
  if (typeof entry !== 'string') throw optionError(owner, 'downstream[]', fix, entry);
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw optionError(owner, 'downstream[]', fix, entry);
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) {
    throw optionError(owner, 'downstream[]', fix, entry);
  }
  return url.origin;
}

function checkPrefix(owner: string, prefix: unknown): string {
  if (typeof prefix === 'string' && PREFIX.test(prefix)) return prefix;
  throw optionError(owner, 'downstream prefix', 'a header token without dots, 1 to 32 characters', prefix);
}

function fromList(owner: string, entries: readonly unknown[]): Map<string, string> {
  // The option schema let through any array; each entry is checked here.
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

/**
 * Checks the `downstream` option's entries (the option schema checked its shape and `downstreamMaxDepth`);
 * `undefined` when it is not given (nothing is folded).
 */
export function checkDownstreamOptions(
  owner: string,
  origins: ServerTimingProcessorOptions['downstream'],
  maxDepth: number,
): DownstreamSettings | undefined {
  if (origins === undefined) return undefined;
  if (typeof origins === 'function') {
    const decide = origins;
    return {
      maxDepth,
      prefixFor(url) {
        const decided = decide(url);
        if (decided === true) return defaultPrefix(url);
        return typeof decided === 'string' && decided !== '' ? toPrefix(decided) : undefined;
      },
    };
  }
  const prefixes = fromList(owner, origins);
  return { maxDepth, prefixFor: (url) => prefixes.get(url.origin) };
}
