import type { Aggregation, HeaderOptions, TraceContextForm } from './types.js';

/** Smallest byte budget accepted: room for both trace-context forms and `total`. */
export const MIN_MAX_BYTES = 256;
/** Largest byte budget accepted; most proxies refuse far smaller headers. */
export const MAX_MAX_BYTES = 65_536;

export const HEADER_DEFAULTS = {
  descriptions: true,
  traceContext: 'traceparent',
  maxBytes: 1024,
  maxMetrics: 16,
} as const satisfies Required<HeaderOptions>;

const TRACE_CONTEXT_FORMS: readonly TraceContextForm[] = ['traceparent', 'trace', 'both', 'none'];
const AGGREGATIONS: readonly Aggregation[] = ['union', 'sum', 'max', 'count'];

/** Throws a `TypeError` naming the owner, the option and what it accepts. */
export function optionError(owner: string, option: string, expected: string, actual: unknown): TypeError {
  return new TypeError(`${owner}: option \`${option}\` must be ${expected}; got ${describe(actual)}.`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return String(value);
}

/** Rejects option names the owner does not know, which are nearly always typos. */
export function assertKnownOptions(owner: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${owner}: unknown option \`${key}\`. Known options: ${known.join(', ')}.`);
    }
  }
}

export function checkBoolean(owner: string, option: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw optionError(owner, option, 'a boolean', value);
}

export function checkFunction<T>(owner: string, option: string, value: T | undefined): T | undefined {
  if (value === undefined || typeof value === 'function') return value;
  throw optionError(owner, option, 'a function', value);
}

export function checkAggregation(owner: string, value: unknown): Aggregation | undefined {
  if (value === undefined || AGGREGATIONS.includes(value as Aggregation))
    return value as Aggregation | undefined;
  throw optionError(owner, 'aggregation', `one of ${AGGREGATIONS.map((a) => `'${a}'`).join(', ')}`, value);
}

function checkInteger(
  owner: string,
  option: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw optionError(owner, option, `an integer from ${min} to ${max}`, value);
}

/** Checks the header options and returns them with `undefined` for each one not given. */
export function checkHeaderOptions(owner: string, options: HeaderOptions): HeaderOptions {
  const traceContext = options.traceContext;
  if (traceContext !== undefined && !TRACE_CONTEXT_FORMS.includes(traceContext)) {
    throw optionError(
      owner,
      'traceContext',
      `one of ${TRACE_CONTEXT_FORMS.map((form) => `'${form}'`).join(', ')}`,
      traceContext,
    );
  }
  return {
    descriptions: checkBoolean(owner, 'descriptions', options.descriptions),
    traceContext,
    maxBytes: checkInteger(owner, 'maxBytes', options.maxBytes, MIN_MAX_BYTES, MAX_MAX_BYTES),
    maxMetrics: checkInteger(owner, 'maxMetrics', options.maxMetrics, 0, 1000),
  };
}

/** Options given as `undefined` or an object; anything else is a mistake. */
export function checkOptionsObject<T extends object>(owner: string, options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${owner}: options must be an object or undefined; got ${describe(options)}.`);
  }
  return options;
}
