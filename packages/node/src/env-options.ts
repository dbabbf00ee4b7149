import type {
  Aggregation,
  DownstreamOptions,
  DownstreamOrigin,
  ServerTimingProcessorOptions,
  TraceContextForm,
} from '@otel-server-timing/core';
import type { NodeServerTimingOptions } from './types.js';

/** Server-Timing settings read from `OTEL_SERVER_TIMING_*` environment variables. */
export type ServerTimingEnvironment = {
  /** `OTEL_SERVER_TIMING_ENABLED`: `false` turns Server-Timing off. Default `true`. */
  enabled: boolean;
  /** Options of the response hook (exposure and trailers). */
  options: NodeServerTimingOptions;
  /** Options of the `ServerTimingSpanProcessor` (what the headers say). */
  processorOptions: ServerTimingProcessorOptions;
};

type Environment = Readonly<Record<string, string | undefined>>;

const PREFIX = 'OTEL_SERVER_TIMING_';

function invalid(name: string, expected: string, value: string): TypeError {
  return new TypeError(`${PREFIX}${name} must be ${expected}; got ${JSON.stringify(value)}.`);
}

function read(env: Environment, name: string): string | undefined {
  const value = env[PREFIX + name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function readBoolean(env: Environment, name: string): boolean | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw invalid(name, '`true` or `false`', value);
}

function readInteger(env: Environment, name: string): number | undefined {
  const value = read(env, name);
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  throw invalid(name, 'a whole number', value);
}

function readChoice<T extends string>(env: Environment, name: string, choices: readonly T[]): T | undefined {
  const value = read(env, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw invalid(name, `one of ${choices.join(', ')}`, value);
}

function readCrossOrigin(env: Environment): NodeServerTimingOptions['crossOrigin'] {
  const value = read(env, 'CROSS_ORIGIN');
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true' || value === '*') return true;
  if (lower === 'false') return false;
  return value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

/**
 * `OTEL_SERVER_TIMING_DOWNSTREAM_ORIGINS` (comma-separated origins, each optionally `prefix=origin`) and
 * `OTEL_SERVER_TIMING_DOWNSTREAM_MAX_DEPTH`; the processor checks the origins and prefixes.
 */
function readDownstream(env: Environment): DownstreamOptions | undefined {
  const value = read(env, 'DOWNSTREAM_ORIGINS');
  const maxDepth = readInteger(env, 'DOWNSTREAM_MAX_DEPTH');
  if (value === undefined) return undefined;
  const origins = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry): string | DownstreamOrigin => {
      const equals = entry.indexOf('=');
      if (equals < 0) return entry;
      return { prefix: entry.slice(0, equals).trim(), origin: entry.slice(equals + 1).trim() };
    });
  return maxDepth === undefined ? { origins } : { origins, maxDepth };
}

/** Keeps the keys whose value is defined, so the options carry only what the environment sets. */
function defined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}

/**
 * Reads the `OTEL_SERVER_TIMING_*` variables (unset or empty means the default). Throws a `TypeError`
 * naming the variable when a value is malformed; values are otherwise checked by the constructors that
 * receive them.
 *
 * | variable | value |
 * | --- | --- |
 * | `OTEL_SERVER_TIMING_ENABLED` | `true`/`false` |
 * | `OTEL_SERVER_TIMING_CROSS_ORIGIN` | `*` or `true` (any origin), `false`, or comma-separated origins |
 * | `OTEL_SERVER_TIMING_EXPOSE_HEADER` | `true`/`false` |
 * | `OTEL_SERVER_TIMING_TRAILERS` | `true`/`false` |
 * | `OTEL_SERVER_TIMING_DESCRIPTIONS` | `true`/`false` |
 * | `OTEL_SERVER_TIMING_TRACE_CONTEXT` | `traceparent`, `trace`, `both`, `none` |
 * | `OTEL_SERVER_TIMING_MAX_BYTES`, `OTEL_SERVER_TIMING_MAX_METRICS` | whole numbers |
 * | `OTEL_SERVER_TIMING_AGGREGATION` | `union`, `sum`, `max`, `count` |
 * | `OTEL_SERVER_TIMING_TOTAL` | `true`/`false` |
 * | `OTEL_SERVER_TIMING_DOWNSTREAM_ORIGINS` | comma-separated origins whose `Server-Timing` is folded in, each optionally `prefix=origin` |
 * | `OTEL_SERVER_TIMING_DOWNSTREAM_MAX_DEPTH` | whole number (default 2) |
 */
export function serverTimingOptionsFromEnv(env: Environment = process.env): ServerTimingEnvironment {
  return {
    enabled: readBoolean(env, 'ENABLED') ?? true,
    options: defined<NodeServerTimingOptions>({
      crossOrigin: readCrossOrigin(env),
      exposeHeader: readBoolean(env, 'EXPOSE_HEADER'),
      trailers: readBoolean(env, 'TRAILERS'),
    }),
    processorOptions: defined<ServerTimingProcessorOptions>({
      descriptions: readBoolean(env, 'DESCRIPTIONS'),
      traceContext: readChoice<TraceContextForm>(env, 'TRACE_CONTEXT', [
        'traceparent',
        'trace',
        'both',
        'none',
      ]),
      maxBytes: readInteger(env, 'MAX_BYTES'),
      maxMetrics: readInteger(env, 'MAX_METRICS'),
      aggregation: readChoice<Aggregation>(env, 'AGGREGATION', ['union', 'sum', 'max', 'count']),
      total: readBoolean(env, 'TOTAL'),
      downstream: readDownstream(env),
    }),
  };
}
