import { diag } from '@opentelemetry/api';
import { ADAPTER_OPTIONS, isOrigin, PRIVACY_LEVELS, type SHARED_CACHE_HANDLING } from './option-schema.js';
import { checkOptionValues } from './options.js';

const EXPOSURE_OPTIONS = /* @__PURE__ */ (() => {
  const { enabled, crossOrigin, exposeHeader, descriptions, level, sharedCache } = ADAPTER_OPTIONS;
  return { enabled, crossOrigin, exposeHeader, descriptions, level, sharedCache };
})();

/** A per-request setting: a value, or a function of the framework's request that returns one. */
export type PerRequest<T, TRequest> = T | ((request: TRequest) => T);

/**
 * Which other origins may read the timings (`Timing-Allow-Origin`): `true` or `'*'` any origin, a string
 * one origin, a list several; a function decides per request. `false`/`undefined`: same origin only.
 */
export type CrossOrigin = boolean | string | readonly string[] | undefined;

/**
 * How much one response shows, each level adding to the one below it:
 * - `'none'`: nothing.
 * - `'trace'`: the trace context only (`traceparent`), enough to link a page load to its server trace (RUM).
 * - `'metrics'`: the trace context, `total` and the metrics, without descriptions (span names, counts).
 * - `'full'`: everything, descriptions included (unless the processor's `descriptions` is `false`).
 */
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];

/**
 * What to do with a response a shared cache (CDN, proxy) may store and replay to later visitors, judged
 * from its headers when its first byte goes out:
 * - `'strip'`: write no trace context and no timings on it (default). Responses without explicit
 *   freshness count as storable only with `Last-Modified`.
 * - `'strip-heuristic'`: as `'strip'`, and count every heuristically cacheable response without explicit
 *   freshness (a plain `200`) as storable: for a CDN that caches such responses for a default time.
 * - `'keep'`: write them anyway, with a `timestamp` metric beside the trace context, by which the browser
 *   package recognises a replayed copy and ignores it.
 */
export type SharedCacheHandling = (typeof SHARED_CACHE_HANDLING)[number];

/** Who may see what. Shared by every adapter. */
export type ExposureOptions<TRequest> = {
  /** Write anything at all for this request. Default `true`. `false` is the level `'none'`. */
  enabled?: PerRequest<boolean, TRequest>;
  /**
   * How much this request's response shows (see {@link PrivacyLevel}). Default `'full'`. With `enabled`,
   * a request that is not enabled shows nothing; with `descriptions`, `false` turns `'full'` into
   * `'metrics'`. Contradicting fixed values (`enabled: false` with a level other than `'none'`,
   * `descriptions: true` with a level that shows none) are a `TypeError`.
   */
  level?: PerRequest<PrivacyLevel, TRequest>;
  /** Responses a shared cache may replay to others: see {@link SharedCacheHandling}. Default `'strip'`. */
  sharedCache?: SharedCacheHandling;
  /** Sets `Timing-Allow-Origin`, without which browsers hide the metrics from other origins. Default: none. */
  crossOrigin?: PerRequest<CrossOrigin, TRequest>;
  /** On CORS requests (those with an `Origin` header) also add `Access-Control-Expose-Headers: Server-Timing`, so `fetch` can read the header. Default `false`. */
  exposeHeader?: boolean;
  /** Write descriptions (span names, counts). Default: the processor's `descriptions` (itself `true` by default). */
  descriptions?: PerRequest<boolean, TRequest>;
};

/** What one request is allowed to show. Shared by all requests (and frozen) when no option is a function. */
export type RequestExposure = {
  /** `'trace'`: the trace context only; `'metrics'` and `'full'`: everything `descriptions` allows. */
  level: Exclude<PrivacyLevel, 'none'>;
  /** `false` at the level `'metrics'`; `undefined`: the processor's setting. */
  descriptions: boolean | undefined;
  sharedCache: SharedCacheHandling;
  /** Value for `Timing-Allow-Origin`, when the timings may be read cross-origin. */
  timingAllowOrigin: string | undefined;
  exposeHeader: boolean;
};

function timingAllowOrigin(crossOrigin: CrossOrigin): string | undefined {
  if (crossOrigin === true || crossOrigin === '*') return '*';
  if (typeof crossOrigin === 'string') return crossOrigin === '' ? undefined : crossOrigin;
  if (Array.isArray(crossOrigin)) return crossOrigin.length === 0 ? undefined : crossOrigin.join(', ');
  return undefined;
}

/** Runs a per-request setting; a function that throws counts as `fallback`, reported with `diag`. */
function resolve<T, TRequest>(
  owner: string,
  option: string,
  setting: PerRequest<T, TRequest> | undefined,
  request: TRequest,
  fallback: T,
): T {
  if (typeof setting !== 'function') return setting ?? fallback;
  try {
    return (setting as (request: TRequest) => T)(request);
  } catch (error) {
    diag.error(`${owner}: the \`${option}\` function threw; using ${String(fallback)}`, error);
    return fallback;
  }
}

/** Fixed values that ask for two different things are a mistake worth stopping at construction. */
function checkCombination<TRequest>(owner: string, options: ExposureOptions<TRequest>): void {
  const { enabled, level, descriptions } = options;
  if (typeof level !== 'string') return;
  if (enabled === false && level !== 'none') {
    throw new TypeError(
      `${owner}: options \`enabled: false\` and \`level: '${level}'\` contradict each other; use \`level: 'none'\` alone.`,
    );
  }
  if (enabled === true && level === 'none') {
    throw new TypeError(
      `${owner}: options \`enabled: true\` and \`level: 'none'\` contradict each other; drop one of them.`,
    );
  }
  if (descriptions === true && level !== 'full') {
    throw new TypeError(
      `${owner}: option \`descriptions: true\` asks for descriptions, which \`level: '${level}'\` never shows; use \`level: 'full'\` or drop \`descriptions\`.`,
    );
  }
}

/** The level of one request from the three options; a function that throws or answers nonsense counts as `'none'`. */
function resolveLevel<TRequest>(
  owner: string,
  options: ExposureOptions<TRequest>,
  request: TRequest,
): { level: PrivacyLevel; descriptions: boolean | undefined } {
  const { enabled, level, descriptions } = options;
  if (enabled !== undefined && resolve(owner, 'enabled', enabled, request, false) !== true) {
    return { level: 'none', descriptions: undefined };
  }
  let decided =
    level === undefined ? 'full' : resolve<PrivacyLevel, TRequest>(owner, 'level', level, request, 'none');
  if (!PRIVACY_LEVELS.includes(decided)) {
    diag.error(`${owner}: the \`level\` function returned ${String(decided)}; nothing written`);
    decided = 'none';
  }
  const described =
    descriptions === undefined ? undefined : resolve(owner, 'descriptions', descriptions, request, false);
  if (decided === 'full' && described === false) decided = 'metrics';
  if (decided !== 'full') return { level: decided, descriptions: false };
  return { level: decided, descriptions: described };
}

/**
 * Checks the exposure options (a `TypeError` saying what to fix) and returns the per-request decision:
 * `undefined` when the request must get no timings, otherwise what it may show. The returned function
 * never throws.
 */
export function createExposurePolicy<TRequest>(
  owner: string,
  options: ExposureOptions<TRequest>,
): (request: TRequest) => RequestExposure | undefined {
  checkOptionValues(owner, options, EXPOSURE_OPTIONS);
  checkCombination(owner, options);
  const { enabled, crossOrigin, descriptions, level } = options;
  const exposeHeader = options.exposeHeader ?? ADAPTER_OPTIONS.exposeHeader.default;
  const sharedCache = options.sharedCache ?? ADAPTER_OPTIONS.sharedCache.default;
  const fixedOrigin = typeof crossOrigin === 'function' ? undefined : timingAllowOrigin(crossOrigin);
  if (
    typeof enabled !== 'function' &&
    typeof crossOrigin !== 'function' &&
    typeof descriptions !== 'function' &&
    typeof level !== 'function'
  ) {
    // Nothing depends on the request: one answer for all of them, not an object per request.
    const fixed = resolveLevel(owner, options, undefined as TRequest);
    const always: RequestExposure | undefined =
      fixed.level === 'none'
        ? undefined
        : Object.freeze({
            level: fixed.level,
            descriptions: fixed.descriptions,
            sharedCache,
            timingAllowOrigin: fixedOrigin,
            exposeHeader,
          });
    return () => always;
  }

  return (request) => {
    const decided = resolveLevel(owner, options, request);
    if (decided.level === 'none') return undefined;
    let allowOrigin = fixedOrigin;
    if (typeof crossOrigin === 'function') {
      const chosen = resolve<CrossOrigin, TRequest>(owner, 'crossOrigin', crossOrigin, request, undefined);
      allowOrigin = timingAllowOrigin(chosen);
      if (allowOrigin !== undefined && !isOriginList(allowOrigin)) {
        diag.error(
          `${owner}: the \`crossOrigin\` function returned an unusable origin; no Timing-Allow-Origin sent`,
        );
        allowOrigin = undefined;
      }
    }
    return {
      level: decided.level,
      descriptions: decided.descriptions,
      sharedCache,
      timingAllowOrigin: allowOrigin,
      exposeHeader,
    };
  };
}

function isOriginList(value: string): boolean {
  return value.split(', ').every(isOrigin);
}
