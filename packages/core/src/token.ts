/**
 * Header tokens (RFC 9110 `tchar`): the only characters a Server-Timing metric name or an unquoted
 * parameter value may hold.
 */
const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NON_TCHAR_RUN = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]+/g;
const EDGE_UNDERSCORES = /^_+|_+$/g;

/** Longest metric name written. Longer names are cut. */
export const MAX_NAME_LENGTH = 64;

/** Name used when nothing usable is left of the original. */
export const FALLBACK_NAME = 'span';

/** `true` when `value` is a non-empty header token. */
export function isToken(value: string): boolean {
  return TCHAR.test(value);
}

/**
 * Turns any string into a metric name: runs of characters that a token may not hold become `_`, leading
 * and trailing `_` go, and the result is cut to {@link MAX_NAME_LENGTH}. Never returns an empty string
 * (nothing usable left gives {@link FALLBACK_NAME}).
 */
export function toMetricName(raw: string): string {
  if (raw.length <= MAX_NAME_LENGTH && TCHAR.test(raw)) return raw;
  const name = String(raw)
    .replace(NON_TCHAR_RUN, '_')
    .replace(EDGE_UNDERSCORES, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(EDGE_UNDERSCORES, '');
  return name === '' ? FALLBACK_NAME : name;
}
