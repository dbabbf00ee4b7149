export type { ResponseServerTiming } from '@otel-server-timing/node';
export { serverTiming as default, serverTiming } from './server-timing.js';
export type { FastifyServerTimingOptions, FastifyServerTimingPlugin } from './types.js';
