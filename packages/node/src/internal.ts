/**
 * `@otel-server-timing/node/internal`: what this project's framework adapters build on. Not covered by
 * semver: it changes with the adapters, in any release. Applications use the main entry.
 */
export type { AdapterIdentity, AdapterServerTimingOptions } from './adapter-server-timing.js';
export { AdapterServerTiming } from './adapter-server-timing.js';
export {
  AUTOMATIC,
  BEFORE_END,
  BEFORE_HEAD,
  type InterceptedTiming,
  interceptResponses,
  removeResponseInterception,
  reserveResponseProperty,
  setTimingOf,
  timingOf,
} from './interception.js';
export { NO_SERVER_TIMING } from './no-server-timing.js';
