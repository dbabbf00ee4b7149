export * as math from './math.mjs';
export { add as sum, calls } from './math.mjs';
export { default as slug } from './slug.mjs';
export * from './strings.mjs';
