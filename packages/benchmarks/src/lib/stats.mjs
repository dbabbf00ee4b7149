// @ts-check
// Small statistics for benchmark rounds.

/**
 * The median (the lower middle value for an even count).
 * @param {readonly number[]} values
 */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return /** @type {number} */ (sorted[Math.floor((sorted.length - 1) / 2)]);
}

/**
 * The `p`-th percentile (0-100) of sorted values, nearest rank.
 * @param {Float64Array | readonly number[]} sorted
 * @param {number} p
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return /** @type {number} */ (sorted[rank]);
}

/**
 * `min-max` of the values, with `digits` decimals.
 * @param {readonly number[]} values
 * @param {number} digits
 */
export function spread(values, digits) {
  return `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
}
