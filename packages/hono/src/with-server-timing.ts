import { withServerTiming as withFetchServerTiming } from '@otel-server-timing/fetch';

/**
 * Wraps any `(request: Request, ...rest) => Response | Promise<Response>` handler so its responses carry
 * the request's `Server-Timing` header.
 * @deprecated It lives in `@otel-server-timing/fetch` now, which needs no `hono`:
 * `import { withServerTiming } from '@otel-server-timing/fetch'`. This name keeps working.
 */
export const withServerTiming: typeof withFetchServerTiming = withFetchServerTiming;
