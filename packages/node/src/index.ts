export type { ServerTimingEnvironment } from './env-options.js';
export { serverTimingOptionsFromEnv } from './env-options.js';
export { instrumentEveryServer } from './every-server.js';
export type { InstrumentableServer } from './instrument-server.js';
export { instrumentServer } from './instrument-server.js';
export { getResponseServerTiming, NodeServerTiming } from './node-server-timing.js';
export type { HttpResponseHook } from './response-hook.js';
export { composeResponseHook, serverTimingResponseHook } from './response-hook.js';
export type { NodeRequest, NodeResponse, NodeServerTimingOptions, ResponseServerTiming } from './types.js';
