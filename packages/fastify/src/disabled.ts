import type { ResponseServerTiming } from '@otel-server-timing/node';

/** The handle of a response that gets no timings: adding to it does nothing. */
export const DISABLED: ResponseServerTiming = Object.freeze({ add() {} });
