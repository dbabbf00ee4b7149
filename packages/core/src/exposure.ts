import { diag } from '@opentelemetry/api';
import { ADAPTER_OPTIONS, isOrigin } from './option-schema.js';
import { checkOptionValues } from './options.js';

const EXPOSURE_OPTIONS = /* @__PURE__ */ (() => {
  const { enabled, crossOrigin, exposeHeader, descriptions } = ADAPTER_OPTIONS;
  return { enabled, crossOrigin, exposeHeader, descriptions };
})();

/** A per-request setting: a value, or a function of the framework's request that returns one. */
export type PerRequest<T, TRequest> = T | ((request: TRequest) => T);

/**
 * Which other origins may read the timings (`Timing-Allow-Origin`): `true` or `'*'` any origin, a string
 * one origin, a list several; a function decides per request. `false`/`undefined`: same origin only.
 */
export type CrossOrigin = boolean | string | readonly string[] | undefined;

/** Who may see what. Shared by every adapter. */
export type ExposureOptions<TRequest> = {
  /** Write anything at all for this request. Default `true`. */
  enabled?: PerRequest<boolean, TRequest>;
  /** Sets `Timing-Allow-Origin`, without which browsers hide the metrics from other origins. Default: none. */
  crossOrigin?: PerRequest<CrossOrigin, TRequest>;
  /** On CORS requests (those with an `Origin` header) also add `Access-Control-Expose-Headers: Server-Timing`, so `fetch` can read the header. Default `false`. */
  exposeHeader?: boolean;
  /** Write descriptions (span names, counts). Default: the processor's `descriptions` (itself `true` by default). */
  descriptions?: PerRequest<boolean, TRequest>;
};

/** What one request is allowed to show. Shared by all requests (and frozen) when no option is a function. */
export type RequestExposure = {
  descriptions: boolean | undefined;
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
  const { enabled, crossOrigin, descriptions } = options;
  const exposeHeader = options.exposeHeader ?? ADAPTER_OPTIONS.exposeHeader.default;
  const fixedOrigin = typeof crossOrigin === 'function' ? undefined : timingAllowOrigin(crossOrigin);
  if (
    typeof enabled !== 'function' &&
    typeof crossOrigin !== 'function' &&
    typeof descriptions !== 'function'
  ) {
    // Nothing depends on the request: one answer for all of them, not an object per request.
    const always: RequestExposure | undefined =
      enabled === false
        ? undefined
        : Object.freeze({ descriptions, timingAllowOrigin: fixedOrigin, exposeHeader });
    return () => always;
  }

  return (request) => {
    if (enabled !== undefined && resolve(owner, 'enabled', enabled, request, false) !== true)
      return undefined;
    let allowOrigin = fixedOrigin;
    if (typeof crossOrigin === 'function') {
      const decided = resolve<CrossOrigin, TRequest>(owner, 'crossOrigin', crossOrigin, request, undefined);
      allowOrigin = timingAllowOrigin(decided);
      if (allowOrigin !== undefined && !isOriginList(allowOrigin)) {
        diag.error(
          `${owner}: the \`crossOrigin\` function returned an unusable origin; no Timing-Allow-Origin sent`,
        );
        allowOrigin = undefined;
      }
    }
    return {
      descriptions:
        descriptions === undefined ? undefined : resolve(owner, 'descriptions', descriptions, request, false),
      timingAllowOrigin: allowOrigin,
      exposeHeader,
    };
  };
}

function isOriginList(value: string): boolean {
  return value.split(', ').every(isOrigin);
}
