import { server } from 'vitest/browser';
import { SERVER_TIMING_PATH } from '../support/constants.js';

/** The engine this run of the suite is in (the instance's `browser` in vitest.config.ts). */
export const engine = server.browser as 'chromium' | 'firefox' | 'webkit';

/**
 * Whether this engine keeps an HTTP cache here. WebKitGTK's MiniBrowser, started by WebKitWebDriver for
 * automation, keeps none: every fetch of a cacheable response goes back to the server.
 */
export const hasHttpCache = engine !== 'webkit';

let unique = 0;

/**
 * URL of a test-server response with the given `Server-Timing` value (`{n}`: a per-response counter,
 * `{traceparent}`: a new server span's context) and query flags (`cache`, `etag`, `tao`, `empty`, `untraced`;
 * see test-servers.ts).
 */
export function serverTimingUrl(
  serverTiming: string,
  flags: Record<string, string> = {},
  origin: string = location.origin,
): string {
  const query = new URLSearchParams({ st: serverTiming, ...flags, unique: `${Date.now()}-${unique++}` });
  return `${origin}${SERVER_TIMING_PATH}test?${query}`;
}

/** Fetches `url` and reads the body, so that its resource timing entry is complete. */
export async function fetchJson(
  url: string,
): Promise<{ traceparent: string; requestTraceparent: string | null }> {
  const response = await fetch(url);
  return response.json();
}

/** Loads `url` with XMLHttpRequest. */
export function loadWithXhr(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.addEventListener('load', () => resolve());
    request.addEventListener('error', () => reject(new Error(`XHR to ${url} failed`)));
    request.open('GET', url);
    request.send();
  });
}
