import type { ServerTimingSpanProcessor } from './processor.js';
import type { ServerTimingOptions } from './server-timing-headers.js';
import type { ServerTimingProcessorOptions } from './types.js';

/**
 * How an option is read from an `OTEL_SERVER_TIMING_<name>` environment variable: the variable's name
 * after the prefix, and the shape of its value.
 */
export type EnvironmentVariable = {
  name: string;
  kind: 'boolean' | 'integer' | 'choice' | 'origins' | 'downstream';
  /** For `choice`: the values accepted (read case-insensitively). */
  choices?: readonly string[];
  /** Said after the value in the README, e.g. what `false` means for the whole entry. */
  note?: string;
};

/**
 * One option, described once: what it accepts (checked at construction), its default, how the README
 * tables show it and, for the zero-code entry, the environment variable that sets it.
 */
export type OptionSpec = {
  /** The README's type column. `REQ` stands for the adapter's request parameter (`req`, `ctx`, `c`). */
  type: string;
  /** The default the code uses; `undefined` when there is none or another object supplies it. */
  default?: unknown;
  /** The README's default column, when it is not just the default value in code font. */
  defaultText?: string;
  /** The README's description column. */
  description: string;
  /** `true` when `value` (never `undefined`) is acceptable. */
  accepts: (value: unknown) => boolean;
  /** What the option must be, for the `TypeError` (`… must be <expected>; got …`). */
  expected: string;
  env?: EnvironmentVariable;
};

/** The options of one constructor, by name. */
export type OptionSchema = Readonly<Record<string, OptionSpec>>;

// Each schema is built in a function call marked pure, so that a bundle that uses none of it (the
// browser package's reader, which imports only core's parsing) leaves it out.

/** Smallest byte budget accepted: room for both trace-context forms, `total` and `other`. */
export const MIN_MAX_BYTES = 256;
/** Largest byte budget accepted; most proxies refuse far smaller headers. */
export const MAX_MAX_BYTES = 65_536;
/** Most metrics a header may be allowed to carry. */
export const MAX_MAX_METRICS = 1000;
/** Most levels of services a folded downstream metric may come through. */
const MAX_DOWNSTREAM_DEPTH = 8;

const AGGREGATIONS = ['union', 'sum', 'max', 'count'] as const;
const TRACE_CONTEXT_FORMS = ['traceparent', 'trace', 'both', 'none'] as const;
/** How much one response shows, from everything to nothing (see `PrivacyLevel`). */
export const PRIVACY_LEVELS = ['full', 'metrics', 'trace', 'none'] as const;
/** What to do with a response a shared cache may replay (see `SharedCacheHandling`). */
export const SHARED_CACHE_HANDLING = ['strip', 'strip-heuristic', 'keep'] as const;
const ORIGIN = /^(?:\*|null|[a-z][a-z0-9+.-]*:\/\/[^\s,/]+)$/i;

const isBoolean = (value: unknown) => typeof value === 'boolean';
const isFunction = (value: unknown) => typeof value === 'function';
const isBooleanOrFunction = (value: unknown) => isBoolean(value) || isFunction(value);
const oneOf = (choices: readonly string[]) => (value: unknown) => choices.includes(value as string);
const quoted = (choices: readonly string[]) => choices.map((choice) => `'${choice}'`);
const integerFrom = (min: number, max: number) => (value: unknown) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

/** `true` for an origin (`https://host[:port]`), `'*'` or `'null'`. */
export function isOrigin(value: unknown): boolean {
  return typeof value === 'string' && ORIGIN.test(value);
}

function isCrossOrigin(value: unknown): boolean {
  if (typeof value === 'boolean' || typeof value === 'function') return true;
  const origins = typeof value === 'string' ? [value] : value;
  return Array.isArray(origins) && origins.every(isOrigin);
}

const BOOLEAN = { type: '`boolean`', accepts: isBoolean, expected: 'a boolean' } as const;

/** An option that takes one of fixed `choices`, read from `OTEL_SERVER_TIMING_<envName>` too. */
function choice(choices: readonly string[], envName: string) {
  return {
    type: `\`${quoted(choices).join(' \\| ')}\``,
    accepts: oneOf(choices),
    expected: `one of ${quoted(choices).join(', ')}`,
    env: { name: envName, kind: 'choice', choices } satisfies EnvironmentVariable,
  };
}

/** The options that decide what one header says: set on the processor, overridable by each adapter. */
const HEADER_OPTIONS = /* @__PURE__ */ (() =>
  ({
    traceContext: {
      ...choice(TRACE_CONTEXT_FORMS, 'TRACE_CONTEXT'),
      default: 'traceparent',
      description:
        'Which trace-context metric to write (`traceparent;desc="00-…"`, the Level 2 `trace` form, both, or none).',
    },
    maxBytes: {
      type: `integer ${MIN_MAX_BYTES}–${MAX_MAX_BYTES}`,
      default: 1024,
      description:
        'Byte budget of the header value; the longest metrics are kept, the rest folded into `other`.',
      accepts: integerFrom(MIN_MAX_BYTES, MAX_MAX_BYTES),
      expected: `an integer from ${MIN_MAX_BYTES} to ${MAX_MAX_BYTES}`,
      env: { name: 'MAX_BYTES', kind: 'integer' },
    },
    maxMetrics: {
      type: `integer 0–${MAX_MAX_METRICS}`,
      default: 16,
      description: 'Most metrics in one header, not counting `total`, `other` and trace context.',
      accepts: integerFrom(0, MAX_MAX_METRICS),
      expected: `an integer from 0 to ${MAX_MAX_METRICS}`,
      env: { name: 'MAX_METRICS', kind: 'integer' },
    },
  }) as const satisfies OptionSchema)();

/** Options of `new ServerTimingSpanProcessor(options)`. */
export const PROCESSOR_OPTIONS = /* @__PURE__ */ (() =>
  ({
    isRequestRoot: {
      type: '`(span: ReadableSpan) => boolean`',
      defaultText: 'kind is `SERVER`',
      description: 'Which local roots (no parent, or a remote one) open a request.',
      accepts: isFunction,
      expected: 'a function',
    },
    mapSpan: {
      type: '`(span) => string \\| { name, description? } \\| null \\| undefined`',
      defaultText: 'semantic conventions (above)',
      description:
        'Metric name (and description) of a finished child span; `undefined` falls back to the default, `null` leaves the span out.',
      accepts: isFunction,
      expected: 'a function',
    },
    filter: {
      type: '`(span) => boolean`',
      defaultText: 'every span',
      description: 'Keep a finished child span when it returns `true`.',
      accepts: isFunction,
      expected: 'a function',
    },
    aggregation: {
      ...choice(AGGREGATIONS, 'AGGREGATION'),
      default: 'union',
      description: 'How spans with one metric name combine (`union`: wall-clock union of their intervals).',
    },
    selfTime: {
      ...BOOLEAN,
      default: true,
      description:
        'Layer metrics (`middleware`, `handler`, `graphql`, `render`, `data`) as their own time, less the metrics beneath them. Applies to `union`.',
    },
    total: {
      ...BOOLEAN,
      default: true,
      description: 'Write `total`: the root span’s elapsed time when the header is built.',
      env: { name: 'TOTAL', kind: 'boolean' },
    },
    descriptions: {
      ...BOOLEAN,
      default: true,
      description: 'Write `desc` parameters (span names, counts).',
      env: { name: 'DESCRIPTIONS', kind: 'boolean' },
    },
    ...HEADER_OPTIONS,
    downstream: {
      type: '`(string \\| { origin, prefix? })[] \\| (url: URL) => boolean \\| string`',
      defaultText: 'none',
      description:
        "Downstream services whose `Server-Timing` is folded in: origins, `{ origin, prefix }` entries, or a function of an outgoing call's URL returning `true`, a prefix or `false`. Their metrics become `<prefix>.<name>`, their `total` `<prefix>.total` (see Timings across services). Their internals become visible to your clients.",
      accepts: (value) => isFunction(value) || Array.isArray(value),
      expected:
        "a list of origins such as 'https://shipping.internal' or { origin, prefix } entries, or a function of the URL",
      env: { name: 'DOWNSTREAM_ORIGINS', kind: 'downstream' },
    },
    downstreamMaxDepth: {
      type: `integer 1–${MAX_DOWNSTREAM_DEPTH}`,
      default: 2,
      description:
        "Most levels of services a folded metric may come through (1: a downstream's own metrics; 2: also what it folded from its own downstreams).",
      accepts: integerFrom(1, MAX_DOWNSTREAM_DEPTH),
      expected: `an integer from 1 to ${MAX_DOWNSTREAM_DEPTH}`,
      env: { name: 'DOWNSTREAM_MAX_DEPTH', kind: 'integer' },
    },
  }) as const satisfies OptionSchema & Record<keyof ServerTimingProcessorOptions, OptionSpec>)();

/** A header option as an adapter takes it: its default is the processor's. */
function fromProcessor(spec: OptionSpec): OptionSpec {
  const { env: _processorReadsIt, default: processorDefault, ...rest } = spec;
  return {
    ...rest,
    defaultText: `the processor's (\`${JSON.stringify(processorDefault).replace(/"/g, "'")}\`)`,
  };
}

function isProcessor(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ServerTimingSpanProcessor).header === 'function'
  );
}

/** Options every framework adapter takes (`ServerTimingOptions`). */
export const ADAPTER_OPTIONS = /* @__PURE__ */ (() =>
  ({
    enabled: {
      type: '`boolean \\| (REQ) => boolean`',
      default: true,
      description: 'Write anything at all for this request. A function that throws counts as `false`.',
      accepts: isBooleanOrFunction,
      expected: 'a boolean or a function of the request',
      env: { name: 'ENABLED', kind: 'boolean', note: '(`false`: SDK as usual, no processor, no header)' },
    },
    crossOrigin: {
      type: '`boolean \\| string \\| string[] \\| (REQ) => …`',
      defaultText: 'none',
      description:
        "Sets `Timing-Allow-Origin` (`true`/`'*'`: any origin; origins as `https://host[:port]`; a list), without which browsers hide the metrics from other origins. Appended to a value the application set.",
      accepts: isCrossOrigin,
      expected:
        "a boolean, '*', an origin such as 'https://app.example.com' (scheme and host, no path), a list of origins, or a function",
      env: { name: 'CROSS_ORIGIN', kind: 'origins' },
    },
    level: {
      type: `\`${quoted(PRIVACY_LEVELS).join(' \\| ')} \\| (REQ) => …\``,
      default: 'full',
      description:
        "How much the response shows: `'full'` everything; `'metrics'` no descriptions; `'trace'` only the trace context (RUM correlation without timings); `'none'` nothing. `enabled: false` is `'none'`; `descriptions: false` makes `'full'` `'metrics'`; contradicting fixed values are a `TypeError`. A function that throws counts as `'none'`.",
      accepts: (value: unknown) => isFunction(value) || oneOf(PRIVACY_LEVELS)(value),
      expected: `one of ${quoted(PRIVACY_LEVELS).join(', ')}, or a function of the request`,
      env: { name: 'LEVEL', kind: 'choice', choices: PRIVACY_LEVELS },
    },
    sharedCache: {
      ...choice(SHARED_CACHE_HANDLING, 'SHARED_CACHE'),
      default: 'strip',
      description:
        "A response a shared cache (CDN, proxy) may store, judged from its headers at the first byte as RFC 9111 does: `'strip'` writes nothing on it; `'strip-heuristic'` also counts a plain `200` without `Cache-Control` as stored; `'keep'` writes it with a `timestamp` the browser package uses to ignore replayed copies.",
    },
    exposeHeader: {
      ...BOOLEAN,
      default: false,
      description:
        'On CORS requests (with an `Origin` header) also add `Server-Timing` to `Access-Control-Expose-Headers`, so `fetch()` code on other origins can read the header itself.',
      env: { name: 'EXPOSE_HEADER', kind: 'boolean' },
    },
    descriptions: {
      ...fromProcessor(PROCESSOR_OPTIONS.descriptions),
      type: '`boolean \\| (REQ) => boolean`',
      accepts: isBooleanOrFunction,
      expected: 'a boolean or a function of the request',
    },
    traceContext: fromProcessor(HEADER_OPTIONS.traceContext),
    maxBytes: fromProcessor(HEADER_OPTIONS.maxBytes),
    maxMetrics: fromProcessor(HEADER_OPTIONS.maxMetrics),
    processor: {
      type: '`ServerTimingSpanProcessor`',
      defaultText: 'the most recently constructed one',
      description: 'Where the span timings come from.',
      accepts: isProcessor,
      expected: 'a ServerTimingSpanProcessor',
    },
  }) as const satisfies OptionSchema & Record<keyof ServerTimingOptions<unknown>, OptionSpec>)();

/** Options some adapters add to {@link ADAPTER_OPTIONS}, checked wherever an adapter declares them. */
export const ADAPTER_EXTRA_OPTIONS = /* @__PURE__ */ (() =>
  ({
    trailers: {
      ...BOOLEAN,
      default: false,
      description:
        'Send what finishes after the headers, plus the final `total`, as a `Server-Timing` trailer (chunked HTTP/1.1, HTTP/2). Browsers do not expose trailers to the Performance API; DevTools and other clients read them.',
      env: { name: 'TRAILERS', kind: 'boolean' },
    },
    tracer: {
      type: '`Tracer`',
      defaultText: 'none',
      description: 'Start a `SERVER` span with it when no span of this process is active.',
      accepts: (value) =>
        typeof value === 'object' &&
        value !== null &&
        isFunction((value as { startSpan?: unknown }).startSpan),
      expected: "an OpenTelemetry Tracer, e.g. trace.getTracer('my-service')",
    },
  }) as const satisfies OptionSchema)();

/** The option tables the READMEs show, by the name their marker gives. */
export const OPTION_TABLES = /* @__PURE__ */ (() =>
  ({
    processor: PROCESSOR_OPTIONS,
    'node-adapter': { ...ADAPTER_OPTIONS, trailers: ADAPTER_EXTRA_OPTIONS.trailers },
    'fetch-adapter': { ...ADAPTER_OPTIONS, tracer: ADAPTER_EXTRA_OPTIONS.tracer },
  }) as const satisfies Record<string, OptionSchema>)();
