import { isToken, toMetricName } from '../token.js';
import type { FormatOptions, ServerTimingMetric } from '../types.js';

/** Longest description written, in characters. Longer ones are cut. */
export const MAX_DESCRIPTION_LENGTH = 100;
/** Largest duration written; larger values are clamped so the number never needs an exponent. */
export const MAX_DURATION = 1e12;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/g;
const QUOTE_OR_BACKSLASH = /["\\]/g;

/**
 * A duration as the header writes it: at most three decimals, no exponent, no trailing zeros. Returns
 * `undefined` for anything that is not a finite number; negative values become `0`.
 */
export function formatDuration(duration: unknown): string | undefined {
  if (typeof duration !== 'number' || !Number.isFinite(duration)) return undefined;
  if (duration <= 0) return '0';
  // Integer arithmetic: printing integers is several times faster than printing fractions.
  const thousandths = Math.round(Math.min(duration, MAX_DURATION) * 1000);
  const whole = Math.floor(thousandths / 1000);
  const fraction = thousandths - whole * 1000;
  if (fraction === 0) return `${whole}`;
  if (fraction % 100 === 0) return `${whole}.${fraction / 100}`;
  if (fraction % 10 === 0) return `${whole}.${fraction < 100 ? '0' : ''}${fraction / 10}`;
  return `${whole}.${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}`;
}

/**
 * Description text made safe for a quoted string: letters with accents lose them, any other character
 * outside printable ASCII becomes `?`, and the text is cut to {@link MAX_DESCRIPTION_LENGTH}.
 */
export function toDescriptionText(raw: string): string {
  let text = raw.length > MAX_DESCRIPTION_LENGTH * 2 ? raw.slice(0, MAX_DESCRIPTION_LENGTH * 2) : raw;
  if (!PRINTABLE_ASCII.test(text)) {
    text = text.normalize('NFKD').replace(COMBINING_MARKS, '').replace(NOT_PRINTABLE_ASCII, '?');
  }
  return text.length > MAX_DESCRIPTION_LENGTH ? text.slice(0, MAX_DESCRIPTION_LENGTH) : text;
}

/** Most distinct descriptions whose formatted parameter is remembered. */
const DESCRIPTION_CACHE_LIMIT = 1024;
const descriptionParameters = new Map<string, string>();

/**
 * `;desc=<value>` for a description: the value bare when it is a token, otherwise a quoted string.
 * Span names repeat from request to request, so the result is remembered (up to a limit).
 */
function descriptionParameter(description: string): string {
  let parameter = descriptionParameters.get(description);
  if (parameter === undefined) {
    const text = toDescriptionText(description);
    parameter = `;desc=${isToken(text) ? text : `"${text.replace(QUOTE_OR_BACKSLASH, '\\$&')}"`}`;
    if (
      descriptionParameters.size < DESCRIPTION_CACHE_LIMIT &&
      description.length <= MAX_DESCRIPTION_LENGTH
    ) {
      descriptionParameters.set(description, parameter);
    }
  }
  return parameter;
}

/** The metric name of a metric handed in by the application: its `name` made into a token. */
function metricName(metric: ServerTimingMetric): string {
  const raw = metric.name;
  return toMetricName(typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : String(raw));
}

/** One header entry for one metric, e.g. `db;dur=53;desc="SELECT users"`. */
export function formatMetric(metric: ServerTimingMetric, descriptions = true): string {
  return appendMetric('', metric, descriptions);
}

/** `value` with the entry of `metric` appended (see {@link appendEntry}). */
export function appendMetric(value: string, metric: ServerTimingMetric, descriptions: boolean): string {
  return appendEntry(value, metricName(metric), metric.duration, metric.description, descriptions);
}

/** {@link formatMetric} for a name already known to be a valid metric name. */
export function formatEntry(
  name: string,
  duration: unknown,
  description: unknown,
  descriptions: boolean,
): string {
  return appendEntry('', name, duration, description, descriptions);
}

/** Most distinct metric names whose entry start is remembered. */
const NAME_CACHE_LIMIT = 1024;
/** `name;dur=` and `, name;dur=`: the start of a metric's entry, first in a value or after another. */
type EntryStart = { readonly first: string; readonly later: string };
const entryStarts = new Map<string, EntryStart>();

/**
 * The entry start of a metric name; names repeat from request to request, so it is remembered (up to a
 * limit).
 */
function entryStart(name: string): EntryStart {
  let start = entryStarts.get(name);
  if (start === undefined) {
    start = { first: `${name};dur=`, later: `, ${name};dur=` };
    if (entryStarts.size < NAME_CACHE_LIMIT) entryStarts.set(name, start);
  }
  return start;
}

/**
 * `value` (a header value, or `''`) followed by one more entry, for a name already known to be a valid
 * metric name. The value grows by a few remembered pieces, each `+` one string pointing at both sides:
 * formatting the entry on its own first and joining it after made several more strings per entry, all
 * copied again when the value is made flat (by Node, when it checks the header).
 */
export function appendEntry(
  value: string,
  name: string,
  duration: unknown,
  description: unknown,
  descriptions: boolean,
): string {
  const printed = formatDuration(duration);
  if (printed === undefined) value = value === '' ? name : `${value}, ${name}`;
  else {
    const start = entryStart(name);
    value = `${value}${value === '' ? start.first : start.later}${printed}`;
  }
  if (descriptions && typeof description === 'string' && description !== '')
    value += descriptionParameter(description);
  return value;
}

/**
 * Formats metrics as one `Server-Timing` header value. Whatever it is given, the result is a valid
 * header value (printable ASCII only) that {@link parseServerTiming} reads back as the sanitised metrics.
 * Never throws: entries that are not objects are skipped.
 */
export function formatServerTiming(
  metrics: readonly ServerTimingMetric[] | null | undefined,
  options?: FormatOptions,
): string {
  let header = '';
  try {
    if (!Array.isArray(metrics)) return '';
    const descriptions = options?.descriptions ?? true;
    const count = metrics.length;
    for (let index = 0; index < count; index++) {
      try {
        const metric: unknown = metrics[index];
        if (metric === null || typeof metric !== 'object') continue;
        const entry = formatMetric(metric as ServerTimingMetric, descriptions);
        header = header === '' ? entry : `${header}, ${entry}`;
      } catch {
        // An element or field getter that throws, or a name whose toString throws: leave that metric out.
      }
    }
  } catch {
    // A proxy or options object whose getters throw: keep what was written so far.
  }
  return header;
}
