import { context, diag, type Span, trace } from '@opentelemetry/api';
import type { RequestRecord } from '../request-record.js';
import type { Aggregation } from '../types.js';
import { DownstreamMetrics } from './downstream-metrics.js';
import type { DownstreamSettings } from './options.js';

type Listener = (message: unknown) => void;
type DiagnosticsChannel = {
  subscribe(name: string, listener: Listener): void;
  unsubscribe(name: string, listener: Listener): boolean;
};
type BuiltinModules = { getBuiltinModule?: (id: string) => unknown };

/** An outgoing call made inside a request: where its answer is folded, and when it was made. */
type PendingCall = { record: RequestRecord; startedAt: number };

/** `node:http`'s client request, as far as it is read here. */
type HttpClientRequest = {
  protocol?: string;
  host?: string;
  path?: string;
  getHeader?(name: string): unknown;
};
/** undici's request and response in its diagnostics messages (Node's `fetch`, and the `undici` package). */
type UndiciRequest = { origin?: unknown; path?: unknown };
type UndiciResponse = { headers?: readonly unknown[] };

/**
 * Channels that announce an outgoing call in the async context of the code that makes it:
 * `http.client.request.created` (Node ≥ 22.14, in the `ClientRequest` constructor), else
 * `http.client.request.start` (when the request is ended; a request that waited for a socket of a full
 * agent is started in its own context, which the agent keeps), and undici's `undici:request:create`.
 */
const CALL_CHANNELS = ['http.client.request.created', 'http.client.request.start', 'undici:request:create'];
const HTTP_RESPONSE = 'http.client.response.finish';
const UNDICI_HEADERS = 'undici:request:headers';

function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Node's `diagnostics_channel`, where the runtime has `process.getBuiltinModule` (Node ≥ 20.16, Bun, Deno). */
function diagnosticsChannel(): DiagnosticsChannel | undefined {
  const runtime = (globalThis as { process?: BuiltinModules }).process;
  return runtime?.getBuiltinModule?.('node:diagnostics_channel') as DiagnosticsChannel | undefined;
}

/**
 * Folds the `Server-Timing` of the opted-in downstreams into the record of the request that called them.
 * An outgoing call is tied to a request when it is made (the active span then belongs to that request's
 * record) and its answer is recognised by the call's own request object, never by async context or
 * socket: concurrent requests to one downstream each get their own answers. Only response headers are
 * read, when they arrive; nothing waits for a body.
 */
export class OutgoingCalls {
  readonly #settings: DownstreamSettings;
  readonly #recordOf: (span: Span) => RequestRecord | undefined;
  readonly #aggregation: Aggregation;
  readonly #maxMetrics: number;
  readonly #pending = new WeakMap<object, PendingCall>();
  readonly #channels: DiagnosticsChannel | undefined;

  constructor(
    settings: DownstreamSettings,
    recordOf: (span: Span) => RequestRecord | undefined,
    aggregation: Aggregation,
    maxMetrics: number,
  ) {
    this.#settings = settings;
    this.#recordOf = recordOf;
    this.#aggregation = aggregation;
    this.#maxMetrics = maxMetrics;
    this.#channels = diagnosticsChannel();
    if (this.#channels === undefined) {
      diag.warn(
        'ServerTimingSpanProcessor: option `downstream` needs diagnostics_channel through process.getBuiltinModule (Node >= 20.16); nothing is folded',
      );
      return;
    }
    for (const name of CALL_CHANNELS) this.#channels.subscribe(name, this.#onCall);
    this.#channels.subscribe(HTTP_RESPONSE, this.#onHttpResponse);
    this.#channels.subscribe(UNDICI_HEADERS, this.#onUndiciHeaders);
  }

  /** Stops watching outgoing calls. */
  stop(): void {
    const channels = this.#channels;
    if (channels === undefined) return;
    for (const name of CALL_CHANNELS) channels.unsubscribe(name, this.#onCall);
    channels.unsubscribe(HTTP_RESPONSE, this.#onHttpResponse);
    channels.unsubscribe(UNDICI_HEADERS, this.#onUndiciHeaders);
  }

  readonly #onCall = (message: unknown): void => {
    try {
      const request = (message as { request?: unknown }).request;
      if (request === null || typeof request !== 'object' || this.#pending.has(request)) return;
      const span = trace.getSpan(context.active());
      const record = span === undefined ? undefined : this.#recordOf(span);
      if (record === undefined || record.closed) return;
      this.#pending.set(request, { record, startedAt: now() });
    } catch (error) {
      diag.error('ServerTimingSpanProcessor: could not note an outgoing call', error);
    }
  };

  readonly #onHttpResponse = (message: unknown): void => {
    this.#answer(message, httpCallUrl, httpServerTiming);
  };

  readonly #onUndiciHeaders = (message: unknown): void => {
    this.#answer(message, undiciCallUrl, undiciServerTiming);
  };

  /** Folds the answer a response channel announced, if it is to a call noted in a request. Never throws. */
  #answer<T extends { request: object }>(
    message: unknown,
    urlOf: (message: T) => URL,
    headerOf: (message: T) => string | readonly string[] | undefined,
  ): void {
    try {
      const request = (message as T).request;
      const call = this.#pending.get(request);
      if (call === undefined) return;
      this.#pending.delete(request);
      if (call.record.closed) return;
      const prefix = this.#settings.prefixFor(urlOf(message as T));
      if (prefix === undefined) return;
      const header = headerOf(message as T);
      if (header === undefined || header.length === 0) return;
      call.record.downstream ??= new DownstreamMetrics();
      call.record.downstream.fold({
        header,
        prefix,
        maxDepth: this.#settings.maxDepth,
        startedAt: call.startedAt,
        answeredAt: now(),
        maxMetrics: this.#maxMetrics,
        aggregation: this.#aggregation,
      });
    } catch (error) {
      diag.error('ServerTimingSpanProcessor: could not fold a downstream Server-Timing header', error);
    }
  }
}

type HttpResponseMessage = { request: HttpClientRequest; response: { headers: object } };
type UndiciHeadersMessage = { request: UndiciRequest; response: UndiciResponse };

/**
 * The URL a `node:http` call named: its protocol, its `Host` header as Node wrote it (the port only when
 * not the default), and its path (an absolute URL through a proxy agent).
 */
function httpCallUrl({ request }: HttpResponseMessage): URL {
  const host = request.getHeader?.('host');
  return new URL(
    request.path ?? '/',
    `${request.protocol}//${typeof host === 'string' ? host : request.host}`,
  );
}

/** Node joins repeated `Server-Timing` lines with `, `. */
function httpServerTiming({ response }: HttpResponseMessage): string | string[] | undefined {
  return (response.headers as Record<string, string | string[] | undefined>)['server-timing'];
}

function undiciCallUrl({ request }: UndiciHeadersMessage): URL {
  return new URL(String(request.path), String(request.origin));
}

/** The `Server-Timing` lines of undici's raw headers (`[name, value, name, value, …]`, bytes or strings). */
function undiciServerTiming({ response }: UndiciHeadersMessage): string[] | undefined {
  const raw = response.headers;
  if (!Array.isArray(raw)) return undefined;
  let lines: string[] | undefined;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    if (text(raw[index]).toLowerCase() !== 'server-timing') continue;
    lines ??= [];
    lines.push(text(raw[index + 1]));
  }
  return lines;
}

/** Header bytes as Node's HTTP parser reads them (one character per byte), or a string as it is. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) {
    // As long as the folding reads at most, so a huge value costs no more than that.
    const length = Math.min(value.length, 32_769);
    let result = '';
    for (let index = 0; index < length; index++) result += String.fromCharCode(value[index] as number);
    return result;
  }
  return '';
}
