import type { ResponseServerTiming } from './types.js';

/**
 * The handle adapters give a response that gets no timings (disabled for the request, or a route that
 * opted out): every call does nothing.
 */
export const NO_SERVER_TIMING: ResponseServerTiming = Object.freeze({ add() {}, skip() {} });
