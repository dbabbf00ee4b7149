// Writes docs/demo.png: the running demo in Chromium, as a user sees it after the page's first calls.
//   node scripts/screenshot.mjs            (from examples/demo)
import { fileURLToPath } from 'node:url';
import { startExample } from '@otel-server-timing/example-support/testing';
import { launchChromium, waitForCards } from './browsers.mjs';

const output = fileURLToPath(new URL('../../../docs/demo.png', import.meta.url));
const demo = await startExample(new URL('..', import.meta.url), ['--import', './tracing.mjs', 'server.mjs']);
const browser = await launchChromium();
try {
  // Warm the server and Chromium up in a context of its own (its HTTP cache is thrown away with it), so
  // the picture shows steady timings rather than both programs' start-up.
  const warmUp = await browser.newContext();
  const warmUpPage = await warmUp.newPage();
  await warmUpPage.goto(`${demo.url}/`);
  await waitForCards(warmUpPage, 4);
  await warmUp.close();
  const page = await browser.newPage({ viewport: { width: 1180, height: 900 }, deviceScaleFactor: 1.5 });
  await page.goto(`${demo.url}/`);
  await waitForCards(page, 4);
  await page.screenshot({ path: output, fullPage: true });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  await demo.stop();
}
