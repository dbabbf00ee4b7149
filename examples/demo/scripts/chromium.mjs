// Chromium for the demo's test and screenshot: launched by the workspace's shared tooling.
export { launchChromium } from '@otel-server-timing/browsers';

/** Waits until the demo page drew its page-load card and `apiCalls` API cards, each with a trace id. */
export async function waitForCards(page, apiCalls) {
  await page.waitForFunction(
    (count) =>
      document.querySelectorAll('#page-load .card .trace-id').length === 1 &&
      document.querySelectorAll('#api-calls .card').length >= count,
    apiCalls,
  );
}
