// Debian's Chromium (or CHROMIUM_PATH) through playwright-core, with the flags that run headless as root
// on a machine without the network (no background requests to Google's hosts).
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium; close the returned browser when done. */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Waits until the demo page drew its page-load card and `apiCalls` API cards, each with a trace id. */
export async function waitForCards(page, apiCalls) {
  await page.waitForFunction(
    (count) =>
      document.querySelectorAll('#page-load .card .trace-id').length === 1 &&
      document.querySelectorAll('#api-calls .card').length >= count,
    apiCalls,
  );
}
