import type { ServerResponse } from 'node:http';
import http2 from 'node:http2';
import { diag } from '@opentelemetry/api';
import {
  MetricList,
  type RequestExposure,
  type RequestTarget,
  type ServerTimingHeaders,
  type ServerTimingMetric,
} from '@otel-server-timing/core';
import type { HeaderAddition } from './header-values.js';
import { AUTOMATIC, BEFORE_END, BEFORE_HEAD, headersSent, type InterceptedTiming } from './interception.js';
import { ResponseHead } from './response-head.js';
import type { NodeResponse, ResponseServerTiming } from './types.js';

/** What one `AdapterServerTiming` shares with every response it is attached to. */
export type ResponseSettings = {
  readonly owner: string;
  /** The header and trailer values, and the processor's `skip`: nothing here depends on the request type. */
  readonly responder: Pick<
    ServerTimingHeaders<unknown>,
    'header' | 'trailer' | 'skip' | 'cacheDecision' | 'withhold' | 'expectLaterWriter'
  >;
  readonly trailers: boolean;
  /** Attached by an automatic hook (instrumentation-http's `responseHook`): an explicit `attach` replaces it. */
  readonly automatic: boolean;
};

/** Headers not sent yet. */
const PENDING = 0;
/**
 * `end` was called before the headers went out: they go out now, with everything; no trailer. Seen only
 * once `end` is intercepted, which it is when an adapter asks for trailers: without them, nothing that
 * depends on this phase (a trailer declared, an automatic attach replaced) can make a trailer.
 */
const ENDING = 1;
/** Headers sent with `Trailer: Server-Timing`; the trailer is added at `end`. */
const TRAILER = 2;
/** Nothing more to write. */
const DONE = 3;
type Phase = typeof PENDING | typeof ENDING | typeof TRAILER | typeof DONE;

const SERVER_TIMING = 'Server-Timing';
const EXPOSE_SERVER_TIMING: HeaderAddition = {
  name: 'Access-Control-Expose-Headers',
  key: 'access-control-expose-headers',
  value: SERVER_TIMING,
  unique: true,
};
const DECLARE_TRAILER: HeaderAddition = {
  name: 'Trailer',
  key: 'trailer',
  value: SERVER_TIMING,
  unique: true,
};

type Http1Internals = ServerResponse & {
  /** `false` for HTTP/1.0 requests without `TE: chunked`: Node then cannot send chunks. */
  useChunkedEncodingByDefault?: boolean;
  /** Set when the application removed `Transfer-Encoding`: Node then sends no chunks. */
  _removedTE?: boolean;
  /** Trailer lines added with `addTrailers`, which replaces them on every call. */
  _trailer?: string;
};

/**
 * Whether a trailer can follow this response. HTTP/1.1 sends trailers only in chunked bodies, and Node
 * throws (`ERR_HTTP_TRAILER_INVALID`) when a `Trailer` header is declared on a response it does not chunk;
 * the conditions mirror `OutgoingMessage#_storeHeader` (Node 20, 22, 24).
 */
function canHaveTrailer(response: NodeResponse, statusCode: unknown, head: ResponseHead): boolean {
  const status = Number(statusCode) | 0;
  if (status < 200 || status === 204 || status === 205 || status === 304) return false;
  if (response.req?.method === 'HEAD') return false;
  if (response instanceof http2.Http2ServerResponse) return true;
  const http1 = response as Http1Internals;
  if (http1.useChunkedEncodingByDefault === false || http1._removedTE === true) return false;
  return !head.declares('content-length') && !head.declares('transfer-encoding');
}

/** Adds the trailer, keeping trailers the application added (HTTP/1 `addTrailers` replaces them). */
function addTrailer(response: NodeResponse, value: string): void {
  const http1 = response as Http1Internals;
  const before = http1._trailer;
  response.addTrailers({ [SERVER_TIMING]: value });
  if (typeof before === 'string' && before !== '' && typeof http1._trailer === 'string') {
    http1._trailer = before + http1._trailer;
  }
}

/** The timing state of one response, and the handle the application gets for it. */
export class ResponseTiming implements ResponseServerTiming, InterceptedTiming {
  readonly #settings: ResponseSettings;
  readonly #target: RequestTarget | undefined;
  readonly #exposure: RequestExposure;
  readonly #corsRequest: boolean;
  #phase: Phase = PENDING;
  #metrics: MetricList | undefined;

  constructor(
    settings: ResponseSettings,
    target: RequestTarget | undefined,
    exposure: RequestExposure,
    corsRequest: boolean,
  ) {
    this.#settings = settings;
    this.#target = target;
    this.#exposure = exposure;
    this.#corsRequest = corsRequest;
  }

  get [AUTOMATIC](): boolean {
    return this.#settings.automatic && this.#phase === PENDING && this.#metrics === undefined;
  }

  add(metric: ServerTimingMetric): void {
    if (this.#phase === DONE) {
      diag.debug(`${this.#settings.owner}: metric added to a skipped response or after its headers; dropped`);
      return;
    }
    this.#metrics ??= new MetricList(this.#settings.owner);
    this.#metrics.add(metric);
  }

  skip(): void {
    // Until the headers go out: also after `end` was called, from a listener of the implicit headers.
    if (this.#phase > ENDING) return;
    this.#phase = DONE;
    this.#metrics = undefined;
    this.#settings.responder.skip(this.#target);
  }

  [BEFORE_HEAD](response: NodeResponse, statusCode: unknown, headers: unknown): unknown {
    if (this.#phase > ENDING || headersSent(response)) return headers;
    try {
      const responder = this.#settings.responder;
      const exposure = this.#exposure;
      const head = new ResponseHead(response, statusCode, headers);
      // Decided on the headers as they go out: a response a shared cache may replay gets nothing, or a timestamp.
      const cached = responder.cacheDecision(exposure, head);
      if (cached === 'withhold') {
        this.#phase = DONE;
        this.#metrics = undefined;
        responder.withhold(this.#target);
        return headers;
      }
      const trailer =
        this.#phase === PENDING &&
        this.#settings.trailers &&
        exposure.level !== 'trace' &&
        canHaveTrailer(response, statusCode, head);
      this.#phase = trailer ? TRAILER : DONE;
      const value = responder.header(
        this.#target,
        exposure,
        this.#metrics?.metrics,
        trailer ? 'more may follow' : 'last',
        cached === 'timestamp',
      );
      this.#metrics = undefined;
      const additions = this.#additions(value, trailer);
      if (additions.length === 0) return headers;
      if (head.hasArgument) return head.mergeIntoArgument(additions);
      head.setOnResponse(additions);
    } catch (error) {
      diag.error(
        `${this.#settings.owner}: could not add the Server-Timing header; response sent without it`,
        error,
      );
    }
    return headers;
  }

  [BEFORE_END](response: NodeResponse): void {
    if (this.#phase === PENDING) {
      this.#phase = ENDING;
      return;
    }
    if (this.#phase !== TRAILER) return;
    this.#phase = DONE;
    try {
      const value = this.#settings.responder.trailer(this.#target, this.#exposure, this.#metrics?.metrics);
      this.#metrics = undefined;
      if (value !== '') addTrailer(response, value);
    } catch (error) {
      diag.error(`${this.#settings.owner}: could not add the Server-Timing trailer`, error);
    }
  }

  #additions(value: string, trailer: boolean): HeaderAddition[] {
    if (value === '') return trailer ? [DECLARE_TRAILER] : [];
    // Made with its first element: most responses get only this one, and an array's first push reserves 17.
    const additions: HeaderAddition[] = [{ name: SERVER_TIMING, key: 'server-timing', value, unique: false }];
    const allowOrigin = this.#exposure.timingAllowOrigin;
    if (allowOrigin !== undefined) {
      additions.push({
        name: 'Timing-Allow-Origin',
        key: 'timing-allow-origin',
        value: allowOrigin,
        unique: true,
      });
    }
    if (this.#corsRequest) additions.push(EXPOSE_SERVER_TIMING);
    if (trailer) additions.push(DECLARE_TRAILER);
    return additions;
  }
}
