// The browsers for the demo's tests and screenshot, started by the workspace's shared tooling.
export { ENGINES, launchChromium, launchEngine } from '@otel-server-timing/browsers';

/**
 * Waits until the demo page drew its page-load card and `apiCalls` API cards, each with a trace id. Works
 * on a playwright page and on an engine page of tools/browsers.
 */
export async function waitForCards(page, apiCalls) {
  await page.waitForFunction(
    (count) =>
      document.querySelectorAll('#page-load .card .trace-id').length === 1 &&
      document.querySelectorAll('#api-calls .card').length >= count,
    apiCalls,
  );
}
