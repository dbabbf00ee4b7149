/**
 * Whether a shared cache (a CDN, a reverse proxy) may store a response and hand it to later visitors
 * without asking the server again, judged from the headers as they are when the response's first byte
 * goes out. A response that can be replayed that way must not carry one request's trace context or
 * timings: every later visitor would get them.
 *
 * The rules are RFC 9111 §3 for a shared cache, read with two decisions of this library:
 * - **Heuristic freshness** (RFC 9111 §4.2.2): a response with no explicit freshness and a heuristically
 *   cacheable status counts as storable only when it carries `Last-Modified`, the date caches compute a
 *   heuristic lifetime from. Counting every plain `200` would take the trace context off nearly every
 *   dynamic response, which carry neither; `heuristic: 'any'` counts them too (for CDNs configured with a
 *   default lifetime for responses that state none).
 * - **`no-cache`** (unqualified, or naming `Server-Timing`): storable, but never reused without asking the
 *   server (RFC 9111 §5.2.2.4), whose fresh answer replaces the stored header fields (§3.2): not replayed.
 *
 * Targeted fields (RFC 9213 `CDN-Cache-Control`, and `Surrogate-Control`) are read beside `Cache-Control`:
 * the response counts as replayable when any of them lets a cache store it, since a CDN that reads the
 * targeted field ignores `Cache-Control`, and any other shared cache in the path reads `Cache-Control`.
 */

/** Reads one header by its lower-case name: the field's value (lines joined with `, `), or `undefined`. */
export type HeaderLookup = (name: string) => string | undefined;

/** What the decision reads of one exchange. */
export type CacheableExchange = {
  /** The request method, e.g. `'GET'`. */
  method: string | undefined;
  /** The response status code. */
  status: number;
  requestHeader: HeaderLookup;
  responseHeader: HeaderLookup;
};

/** Which responses without explicit freshness count as storable. */
export type HeuristicFreshness = 'last-modified' | 'any';

/** Fields that direct particular caches (RFC 9213's `CDN-Cache-Control`, Edge Architecture's `Surrogate-Control`). */
const TARGETED_FIELDS = ['cdn-cache-control', 'surrogate-control'] as const;

/** Status codes RFC 9110 §15.1 defines as heuristically cacheable (and 304, which refreshes a stored one). */
const HEURISTICALLY_CACHEABLE = new Set([200, 203, 204, 206, 300, 301, 304, 308, 404, 405, 410, 414, 501]);

/** The directives of a `Cache-Control`-style field: lower-case name → argument (`''` when none). */
export type Directives = ReadonlyMap<string, string>;

/** Splits a `Cache-Control`-style value into directives; commas inside quoted arguments do not split. */
export function parseDirectives(value: string): Directives {
  const directives = new Map<string, string>();
  // Quoted arguments (`private="a, b"`) are rare: split them with a pattern, the rest with a plain split.
  const parts = value.includes('"') ? (value.match(/(?:[^,"]|"(?:[^"\\]|\\.)*")+/g) ?? []) : value.split(',');
  for (const part of parts) {
    const equals = part.indexOf('=');
    const name = (equals === -1 ? part : part.slice(0, equals)).trim().toLowerCase();
    if (name === '') continue;
    let argument = equals === -1 ? '' : part.slice(equals + 1).trim();
    if (argument.startsWith('"') && argument.endsWith('"') && argument.length >= 2) {
      argument = argument.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    // The first occurrence counts (RFC 9111 §4.2.1 lets a cache treat duplicates as invalid).
    if (!directives.has(name)) directives.set(name, argument);
  }
  return directives;
}

/** A qualified `private`/`no-cache` that names `Server-Timing` keeps that field out of the replay. */
function namesServerTiming(argument: string): boolean {
  return argument.split(',').some((field) => field.trim().toLowerCase() === 'server-timing');
}

/** `private` without fields (or naming `Server-Timing`): a shared cache keeps the field to itself. */
function isPrivate(directives: Directives): boolean {
  const argument = directives.get('private');
  return argument !== undefined && (argument === '' || namesServerTiming(argument));
}

/** `no-cache` without fields (or naming `Server-Timing`): never reused without the server's fresh answer. */
function alwaysRevalidated(directives: Directives): boolean {
  const argument = directives.get('no-cache');
  return argument !== undefined && (argument === '' || namesServerTiming(argument));
}

/** Whether the request carries `Authorization` (RFC 9111 §3.5). */
function isAuthorized(exchange: CacheableExchange): boolean {
  return exchange.requestHeader('authorization') !== undefined;
}

/**
 * Whether the directives of one field (`Cache-Control` with `Expires`, or a targeted field) let a shared
 * cache store the response and reuse it without the server: `undefined` when they say nothing either way.
 */
function fieldAllowsReplay(
  directives: Directives,
  hasExpires: boolean,
  exchange: CacheableExchange,
): boolean | undefined {
  if (directives.has('no-store') || isPrivate(directives) || alwaysRevalidated(directives)) return false;
  // RFC 9111 §3.5: a response to a request with Authorization only with an explicit shared-cache directive.
  if (isAuthorized(exchange)) {
    return directives.has('public') || directives.has('s-maxage') || directives.has('must-revalidate');
  }
  if (directives.has('public') || directives.has('s-maxage') || directives.has('max-age') || hasExpires) {
    return true;
  }
  return undefined;
}

/** Whether the response's own fields let a shared cache store it and replay it (the request aside). */
function responseAllowsReplay(
  exchange: CacheableExchange,
  status: number,
  heuristic: HeuristicFreshness,
): boolean {
  let heuristicAllowed = true;
  for (const name of TARGETED_FIELDS) {
    const value = exchange.responseHeader(name);
    if (value === undefined || value.trim() === '') continue;
    const allows = fieldAllowsReplay(parseDirectives(value), false, exchange);
    if (allows === true) return true;
    // A targeted field that says anything replaces Cache-Control for its cache (RFC 9213 §2.2).
    heuristicAllowed = false;
  }
  const cacheControl = exchange.responseHeader('cache-control');
  const hasExpires = exchange.responseHeader('expires') !== undefined;
  if (cacheControl !== undefined || hasExpires) {
    const allows = fieldAllowsReplay(parseDirectives(cacheControl ?? ''), hasExpires, exchange);
    if (allows !== undefined) return allows;
  }
  if (!heuristicAllowed || !HEURISTICALLY_CACHEABLE.has(status)) return false;
  if (heuristic !== 'any' && exchange.responseHeader('last-modified') === undefined) return false;
  return !isAuthorized(exchange);
}

/** RFC 9111 §5.2.1.5: a request's `no-store` keeps the response out of every cache. */
function requestForbidsStore(exchange: CacheableExchange): boolean {
  const cacheControl = exchange.requestHeader('cache-control');
  return cacheControl !== undefined && parseDirectives(cacheControl).has('no-store');
}

/**
 * `true` when a shared cache may store this response and replay it, with its `Server-Timing`, to later
 * visitors (see the file's comment for the rules). The response's fields are read first and the request's
 * only where they can change the answer: most responses are not storable, whatever the request says.
 * Never throws: headers that cannot be read count as a replay.
 */
export function sharedCacheMayReplay(
  exchange: CacheableExchange,
  heuristic: HeuristicFreshness = 'last-modified',
): boolean {
  try {
    const given = exchange.method;
    // Node hands methods over in upper case already; other servers may not.
    const method = given === 'GET' || given === 'HEAD' ? given : given?.toUpperCase();
    // Methods caches understand and store by default (RFC 9110 §9.2.3; POST needs Content-Location).
    if (method !== 'GET' && method !== 'HEAD') return false;
    const status = exchange.status;
    if (!Number.isInteger(status) || status < 200) return false;
    return responseAllowsReplay(exchange, status, heuristic) && !requestForbidsStore(exchange);
  } catch {
    // Unreadable headers: assume the worst, a replay.
    return true;
  }
}
