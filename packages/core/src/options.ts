import {
  ADAPTER_EXTRA_OPTIONS,
  type OptionSchema,
  type OptionSpec,
  PROCESSOR_OPTIONS,
} from './option-schema.js';
import type { HeaderOptions, TraceContextForm } from './types.js';

/** The processor's header options when none are given, from the option schema. */
export const HEADER_DEFAULTS = /* @__PURE__ */ (() =>
  ({
    descriptions: PROCESSOR_OPTIONS.descriptions.default,
    traceContext: PROCESSOR_OPTIONS.traceContext.default as TraceContextForm,
    maxBytes: PROCESSOR_OPTIONS.maxBytes.default,
    maxMetrics: PROCESSOR_OPTIONS.maxMetrics.default,
  }) as const satisfies Required<HeaderOptions>)();

/** A `TypeError` naming the owner, the option and what it accepts. */
export function optionError(owner: string, option: string, expected: string, actual: unknown): TypeError {
  return new TypeError(`${owner}: option \`${option}\` must be ${expected}; got ${describe(actual)}.`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return String(value);
}

/**
 * Checks `options` against `schema` and returns them: a `TypeError` saying what to fix for anything but
 * `undefined` or an object, for an option name neither the schema nor `moreOptions` knows (nearly always
 * a typo), and for a value its spec does not accept. Of `moreOptions`, those the shared schema of adapter
 * additions knows (`trailers`, `tracer`) are checked too; the others (a framework's own, such as Fastify's
 * `prefix`) are only allowed.
 */
export function checkOptions<T extends object>(
  owner: string,
  options: T | undefined,
  schema: OptionSchema,
  moreOptions: readonly string[] = [],
): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${owner}: options must be an object or undefined; got ${describe(options)}.`);
  }
  for (const name of Object.keys(options)) {
    if (!Object.hasOwn(schema, name) && !moreOptions.includes(name)) {
      const known = [...Object.keys(schema), ...moreOptions].join(', ');
      throw new TypeError(`${owner}: unknown option \`${name}\`. Known options: ${known}.`);
    }
  }
  checkOptionValues(owner, options, schema);
  return options;
}

/**
 * Checks the values of the options in `options` that `schema` or the adapters' additions describe (a
 * `TypeError` saying what to fix); other keys are left alone.
 */
export function checkOptionValues(owner: string, options: object, schema: OptionSchema): void {
  for (const [name, value] of Object.entries(options)) {
    const spec = specOf(schema, name);
    if (value !== undefined && spec !== undefined && !spec.accepts(value)) {
      throw optionError(owner, name, spec.expected, value);
    }
  }
}

/** The spec of `name` in `schema`, else among the adapters' additions, else none (a framework's own option). */
function specOf(schema: OptionSchema, name: string): OptionSpec | undefined {
  if (Object.hasOwn(schema, name)) return schema[name];
  const extras: OptionSchema = ADAPTER_EXTRA_OPTIONS;
  return Object.hasOwn(extras, name) ? extras[name] : undefined;
}
