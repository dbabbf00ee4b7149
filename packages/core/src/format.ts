import { isToken, toMetricName } from './token.js';
import type { FormatOptions, ServerTimingMetric } from './types.js';

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
  const rounded = Math.round(Math.min(duration, MAX_DURATION) * 1000) / 1000;
  return String(rounded);
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

/** A description as a parameter value: bare when it is a token, otherwise a quoted string. */
function descriptionParameter(text: string): string {
  return isToken(text) ? text : `"${text.replace(QUOTE_OR_BACKSLASH, '\\$&')}"`;
}

/** One header entry for one metric, e.g. `db;dur=53;desc="SELECT users"`. */
export function formatMetric(metric: ServerTimingMetric, descriptions = true): string {
  let entry = toMetricName(typeof metric.name === 'string' ? metric.name : String(metric.name));
  const duration = formatDuration(metric.duration);
  if (duration !== undefined) entry += `;dur=${duration}`;
  if (descriptions && typeof metric.description === 'string' && metric.description !== '') {
    entry += `;desc=${descriptionParameter(toDescriptionText(metric.description))}`;
  }
  return entry;
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
  if (!Array.isArray(metrics)) return '';
  const descriptions = options?.descriptions ?? true;
  let header = '';
  for (const metric of metrics) {
    if (metric === null || typeof metric !== 'object') continue;
    try {
      const entry = formatMetric(metric, descriptions);
      header = header === '' ? entry : `${header}, ${entry}`;
    } catch {
      // A getter that throws or a name whose toString throws: leave that metric out.
    }
  }
  return header;
}
