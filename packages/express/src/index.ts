export type { ResponseServerTiming } from '@otel-server-timing/node';
export type { ServerTimingMiddleware } from './server-timing.js';
export { serverTiming } from './server-timing.js';
export type { ExpressServerTimingOptions } from './types.js';
