import {
  type EnvironmentVariable,
  OPTION_TABLES,
  type OptionSchema,
  PROCESSOR_OPTIONS,
  type ServerTimingProcessorOptions,
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

/** The value of one variable as its option takes it; `undefined` when unset or empty. */
function readVariable(env: Environment, variable: EnvironmentVariable): unknown {
  const { name } = variable;
  const value = env[PREFIX + name]?.trim();
  if (value === undefined || value === '') return undefined;
  const lower = value.toLowerCase();
  switch (variable.kind) {
    case 'boolean':
      if (lower === 'true' || lower === 'false') return lower === 'true';
      throw invalid(name, '`true` or `false`', value);
    case 'integer':
      if (/^\d+$/.test(value)) return Number(value);
      throw invalid(name, 'a whole number', value);
    case 'choice': {
      const choices = variable.choices ?? [];
      if (choices.includes(lower)) return lower;
      throw invalid(name, `one of ${choices.join(', ')}`, lower);
    }
    case 'downstream':
      return value
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '')
        .map((entry) => {
          const equals = entry.indexOf('=');
          if (equals < 0) return entry;
          return { prefix: entry.slice(0, equals).trim(), origin: entry.slice(equals + 1).trim() };
        });
    case 'origins':
      if (lower === 'true' || value === '*') return true;
      if (lower === 'false') return false;
      return value
        .split(',')
        .map((origin) => origin.trim())
        .filter((origin) => origin !== '');
  }
}

/** The options of `schema` that the environment sets, and only those. */
function readOptions(env: Environment, schema: OptionSchema): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [option, spec] of Object.entries(schema)) {
    if (spec.env === undefined) continue;
    const value = readVariable(env, spec.env);
    if (value !== undefined) options[option] = value;
  }
  return options;
}

/**
 * Reads the `OTEL_SERVER_TIMING_*` variables (unset or empty means the default), one for each option
 * whose spec in core's option schema names a variable; the package README lists them. Throws a
 * `TypeError` naming the variable when a value is malformed; values are otherwise checked by the
 * constructors that receive them.
 */
export function serverTimingOptionsFromEnv(env: Environment = process.env): ServerTimingEnvironment {
  const { enabled, ...options } = readOptions(env, OPTION_TABLES['node-adapter']);
  return {
    enabled: (enabled as boolean | undefined) ?? true,
    options: options as NodeServerTimingOptions,
    processorOptions: readOptions(env, PROCESSOR_OPTIONS) as ServerTimingProcessorOptions,
  };
}
