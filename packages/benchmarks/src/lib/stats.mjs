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

/**
 * The geometric mean: the average of ratios that treats 0.9 and 1/0.9 as equally far from 1.
 * @param {readonly number[]} values positive
 */
export function geometricMean(values) {
  let sum = 0;
  for (const value of values) sum += Math.log(value);
  return Math.exp(sum / values.length);
}

/**
 * A 95% percentile-bootstrap confidence interval of `statistic` over `samples` (resampled with
 * replacement, `resamples` times, from a fixed seed so a run's report is reproducible from its data).
 * @param {readonly number[]} samples
 * @param {(values: readonly number[]) => number} statistic
 * @param {number} [resamples]
 * @returns {[number, number]}
 */
export function bootstrapInterval(samples, statistic, resamples = 4000) {
  let seed = 0x9e3779b9;
  // mulberry32: a small seeded generator, so the interval does not change from one print to the next.
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const estimates = new Float64Array(resamples);
  const resample = new Array(samples.length);
  for (let index = 0; index < resamples; index++) {
    for (let pick = 0; pick < samples.length; pick++) {
      resample[pick] = samples[Math.floor(random() * samples.length)];
    }
    estimates[index] = statistic(resample);
  }
  estimates.sort();
  return [percentile(estimates, 2.5), percentile(estimates, 97.5)];
}
