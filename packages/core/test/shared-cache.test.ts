import { describe, expect, it } from 'vitest';
import { parseServerTiming } from '../src/parse.js';
import { ServerTimingHeaders } from '../src/server-timing-headers.js';
import { parseDirectives, sharedCacheMayReplay } from '../src/shared-cache.js';
import { createTracing, startRequest } from './sdk.js';

type Row = {
  /** What the row shows, and the rule it follows. */
  case: string;
  response: Record<string, string>;
  request?: Record<string, string>;
  status?: number;
  method?: string;
  /** Under the default (`Last-Modified` needed for heuristic freshness). */
  replay: boolean;
  /** Under `heuristic: 'any'`, when it differs. */
  replayAny?: boolean;
};

const LAST_MODIFIED = 'Mon, 30 Nov 2026 10:00:00 GMT';

const ROWS: Row[] = [
  // Explicit permission to store (RFC 9111 §3: public, max-age, s-maxage, Expires).
  { case: 'public', response: { 'cache-control': 'public' }, replay: true },
  { case: 'max-age', response: { 'cache-control': 'max-age=60' }, replay: true },
  { case: 's-maxage', response: { 'cache-control': 's-maxage=60' }, replay: true },
  { case: 'Expires', response: { expires: 'Tue, 01 Dec 2026 10:00:00 GMT' }, replay: true },
  {
    case: 'an invalid Expires still counts (§5.3: already expired, storable)',
    response: { expires: '0' },
    replay: true,
  },
  {
    case: 'express.static: public, max-age=0',
    response: { 'cache-control': 'public, max-age=0' },
    replay: true,
  },
  {
    case: 'directive names are case-insensitive',
    response: { 'cache-control': 'Public, MAX-AGE=5' },
    replay: true,
  },
  // Kept out of shared caches.
  { case: 'no-store', response: { 'cache-control': 'no-store' }, replay: false },
  {
    case: 'no-store wins over public',
    response: { 'cache-control': 'public, max-age=60, no-store' },
    replay: false,
  },
  { case: 'private', response: { 'cache-control': 'private, max-age=60' }, replay: false },
  {
    case: 'private naming Server-Timing keeps that field out',
    response: { 'cache-control': 'max-age=60, private="Set-Cookie, Server-Timing"' },
    replay: false,
  },
  {
    case: 'private naming another field lets the rest be stored',
    response: { 'cache-control': 'max-age=60, private="Set-Cookie"' },
    replay: true,
  },
  // no-cache: stored, but never reused without the server's fresh answer (§5.2.2.4, §3.2).
  { case: 'no-cache', response: { 'cache-control': 'public, max-age=60, no-cache' }, replay: false },
  {
    case: 'no-cache naming Server-Timing',
    response: { 'cache-control': 'max-age=60, no-cache="Server-Timing"' },
    replay: false,
  },
  {
    case: 'no-cache naming another field',
    response: { 'cache-control': 'max-age=60, no-cache="x-a"' },
    replay: true,
  },
  // Authorization (§3.5): only with public, s-maxage or must-revalidate.
  {
    case: 'Authorization, max-age',
    request: { authorization: 'Bearer t' },
    response: { 'cache-control': 'max-age=60' },
    replay: false,
  },
  {
    case: 'Authorization, public',
    request: { authorization: 'Bearer t' },
    response: { 'cache-control': 'public, max-age=60' },
    replay: true,
  },
  {
    case: 'Authorization, s-maxage',
    request: { authorization: 'Bearer t' },
    response: { 'cache-control': 's-maxage=60' },
    replay: true,
  },
  {
    case: 'Authorization, must-revalidate',
    request: { authorization: 'Bearer t' },
    response: { 'cache-control': 'max-age=60, must-revalidate' },
    replay: true,
  },
  {
    case: 'Authorization, no directive, Last-Modified: no heuristic storing',
    request: { authorization: 'Bearer t' },
    response: { 'last-modified': LAST_MODIFIED },
    replay: false,
    replayAny: false,
  },
  // A request's no-store (§5.2.1.5).
  {
    case: 'request no-store',
    request: { 'cache-control': 'no-store' },
    response: { 'cache-control': 'public' },
    replay: false,
  },
  // Methods and statuses.
  { case: 'POST', method: 'POST', response: { 'cache-control': 'public, max-age=60' }, replay: false },
  { case: 'HEAD', method: 'HEAD', response: { 'cache-control': 'public, max-age=60' }, replay: true },
  { case: 'a 500 with max-age', status: 500, response: { 'cache-control': 'max-age=60' }, replay: true },
  { case: 'a 101 is not final', status: 101, response: { 'cache-control': 'public' }, replay: false },
  // Heuristic freshness (§4.2.2): the library's decision.
  {
    case: 'a plain 200: not counted, unless every heuristic counts',
    response: {},
    replay: false,
    replayAny: true,
  },
  { case: 'a 200 with an ETag only', response: { etag: 'W/"1"' }, replay: false, replayAny: true },
  { case: 'a 200 with Last-Modified', response: { 'last-modified': LAST_MODIFIED }, replay: true },
  {
    case: 'a 404 with Last-Modified',
    status: 404,
    response: { 'last-modified': LAST_MODIFIED },
    replay: true,
  },
  {
    case: 'a 500 is not heuristically cacheable',
    status: 500,
    response: { 'last-modified': LAST_MODIFIED },
    replay: false,
    replayAny: false,
  },
  {
    case: 'a 302 is not heuristically cacheable',
    status: 302,
    response: {},
    replay: false,
    replayAny: false,
  },
  // Targeted fields (RFC 9213 CDN-Cache-Control, Surrogate-Control).
  {
    case: 'CDN-Cache-Control lets the CDN store a private response',
    response: { 'cache-control': 'private', 'cdn-cache-control': 'max-age=60' },
    replay: true,
  },
  {
    case: 'CDN-Cache-Control no-store, Cache-Control public: other shared caches may store',
    response: { 'cache-control': 'public, max-age=60', 'cdn-cache-control': 'no-store' },
    replay: true,
  },
  {
    case: 'CDN-Cache-Control no-store, Cache-Control says nothing: no heuristic either',
    response: { 'cdn-cache-control': 'no-store', 'last-modified': LAST_MODIFIED },
    replay: false,
    replayAny: false,
  },
  { case: 'Surrogate-Control max-age', response: { 'surrogate-control': 'max-age=300' }, replay: true },
  {
    case: 'Surrogate-Control no-store, Cache-Control private',
    response: { 'surrogate-control': 'no-store', 'cache-control': 'private' },
    replay: false,
  },
  {
    case: 'an empty CDN-Cache-Control is ignored',
    response: { 'cdn-cache-control': ' ' },
    replay: false,
    replayAny: true,
  },
];

describe('sharedCacheMayReplay', () => {
  it.each(ROWS)('$case', (row) => {
    const exchange = {
      method: row.method ?? 'GET',
      status: row.status ?? 200,
      requestHeader: (name: string) => row.request?.[name],
      responseHeader: (name: string) => row.response[name],
    };
    expect(sharedCacheMayReplay(exchange)).toBe(row.replay);
    expect(sharedCacheMayReplay(exchange, 'any')).toBe(row.replayAny ?? row.replay);
  });

  it("reads the request's headers only when the response's own could let a cache store it", () => {
    const asked: string[] = [];
    const exchange = (response: Record<string, string>) => ({
      method: 'GET',
      status: 200,
      requestHeader: (name: string) => {
        asked.push(name);
        return undefined;
      },
      responseHeader: (name: string) => response[name],
    });
    expect(sharedCacheMayReplay(exchange({ 'content-type': 'text/plain' }))).toBe(false);
    expect(asked).toEqual([]);
    expect(sharedCacheMayReplay(exchange({ 'cache-control': 'public, max-age=60' }))).toBe(true);
    expect(asked).toEqual(['authorization', 'cache-control']);
  });

  it('assumes a replay when the headers cannot be read', () => {
    const exchange = {
      method: 'GET',
      status: 200,
      requestHeader: () => undefined,
      responseHeader: () => {
        throw new Error('gone');
      },
    };
    expect(sharedCacheMayReplay(exchange)).toBe(true);
  });
});

describe('parseDirectives', () => {
  it('keeps commas inside quoted arguments and the first of duplicates', () => {
    const directives = parseDirectives('private="a, b", max-age=5, Max-Age=9, no-cache');
    expect([...directives]).toEqual([
      ['private', 'a, b'],
      ['max-age', '5'],
      ['no-cache', ''],
    ]);
  });
});

describe('ServerTimingHeaders behind a shared cache', () => {
  const cacheable = {
    method: 'GET',
    status: 200,
    requestHeader: () => undefined,
    responseHeader: (name: string) => (name === 'cache-control' ? 'public, max-age=60' : undefined),
  };
  const plain = { ...cacheable, responseHeader: () => undefined };

  it('withholds a replayable response by default, and no later writer adds anything', () => {
    const { tracer } = createTracing();
    const responder = new ServerTimingHeaders('t', {});
    const exposure = responder.exposure({})!;
    expect(responder.cacheDecision(exposure, plain)).toBeUndefined();
    expect(responder.cacheDecision(exposure, cacheable)).toBe('withhold');
    const { ctx } = startRequest(tracer);
    responder.withhold(ctx);
    // A second writer of the same response (a Node hook after a Fetch wrapper) finds the header claimed.
    expect(responder.header(ctx, exposure)).toBe('');
  });

  it('with keep, writes the trace context with the server clock beside it', () => {
    const { tracer } = createTracing();
    const responder = new ServerTimingHeaders('t', { sharedCache: 'keep' });
    const exposure = responder.exposure({})!;
    expect(responder.cacheDecision(exposure, cacheable)).toBe('timestamp');
    const before = Date.now();
    const { ctx } = startRequest(tracer);
    const metrics = parseServerTiming(responder.header(ctx, exposure, undefined, true, true));
    const stamp = Number(metrics.find((metric) => metric.name === 'timestamp')?.description);
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(Date.now());
    expect(metrics.map((metric) => metric.name)).toEqual(['total', 'traceparent', 'timestamp']);
  });

  it('strip-heuristic also withholds a plain 200', () => {
    const responder = new ServerTimingHeaders('t', { sharedCache: 'strip-heuristic' });
    expect(responder.cacheDecision(responder.exposure({})!, plain)).toBe('withhold');
  });
});
