/** Trace context that the test page's own navigation response carries. */
export const PAGE_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
/** `Server-Timing` of the test page's navigation response. */
export const PAGE_SERVER_TIMING = `traceparent;desc="${PAGE_TRACEPARENT}", app;dur=12.5;desc="render"`;
/** Path prefix answered by `answerServerTiming` (test-servers.ts). */
export const SERVER_TIMING_PATH = '/__server-timing/';
