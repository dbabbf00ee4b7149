export type { ResponseServerTiming } from '@otel-server-timing/node';
export { serverTiming } from './server-timing.js';
export type { KoaServerTimingOptions } from './types.js';
