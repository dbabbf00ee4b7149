// The three browser engines behind one small page API, so that a test reads the same in each of them:
// Chromium (playwright-core), Firefox (puppeteer-core over WebDriver BiDi) and WebKit (W3C WebDriver).
import { launchChromium } from './chromium.js';
import { launchFirefox } from './firefox.js';
import { startWebKitDriver } from './webkit.js';

/** The engines the tests run in. */
export const ENGINES = ['chromium', 'firefox', 'webkit'];

const DEFAULT_TIMEOUT_MS = 30_000;

/** Polls `check()` until it returns something truthy. */
async function pollUntil(check, timeout, what) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The page API over a playwright or puppeteer page (they agree on goto, evaluate and 'pageerror'). */
function devtoolsPage(page, closeAll) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    goto: async (url) => {
      await page.goto(url);
    },
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    waitForFunction: (fn, arg, timeout = DEFAULT_TIMEOUT_MS) =>
      pollUntil(() => page.evaluate(fn, arg), timeout, String(fn)),
    errors: async () => [...errors],
    close: closeAll,
  };
}

/** Collects the page's uncaught errors on `window`, as WebDriver classic has no error events. */
const RECORD_ERRORS = `if (!window.__engineErrors) {
  window.__engineErrors = [];
  addEventListener('error', (event) => window.__engineErrors.push(String(event.message)));
  addEventListener('unhandledrejection', (event) => window.__engineErrors.push(String(event.reason)));
}`;

/** The page API over a WebKitWebDriver session (one MiniBrowser window). */
function webDriverPage(session) {
  const evaluate = async (fn, arg) => {
    const script = `const done = arguments[arguments.length - 1];
Promise.resolve()
  .then(() => (${fn})(arguments[0]))
  .then((value) => done({ value }), (error) => done({ error: String((error && error.stack) || error) }));`;
    const result = await session.executeAsync(script, [arg ?? null]);
    if (result && 'error' in result) throw new Error(`page threw: ${result.error}`);
    return result?.value;
  };
  return {
    goto: async (url) => {
      await session.navigate(url);
      await session.executeAsync(`${RECORD_ERRORS}; arguments[arguments.length - 1]();`, []);
    },
    evaluate,
    waitForFunction: (fn, arg, timeout = DEFAULT_TIMEOUT_MS) =>
      pollUntil(() => evaluate(fn, arg), timeout, String(fn)),
    // Errors thrown while the page loaded, before goto() returned, are not seen in WebKit.
    errors: () => evaluate(() => [...(window.__engineErrors ?? [])]),
    close: () => session.close(),
  };
}

/**
 * Starts `engine` once. Each `newPage()` is isolated (its own cache and cookies) from the others;
 * `close()` ends the browser and everything it started. With `proxy` (`host:port`), every request goes
 * through that HTTP proxy: a way to reach a server on 127.0.0.1 under any host name.
 */
export async function launchEngine(engine, { proxy } = {}) {
  if (engine === 'chromium') {
    const browser = await launchChromium(undefined, { proxy });
    return {
      engine,
      version: `Chromium ${browser.version()}`,
      newPage: async () => {
        const context = await browser.newContext();
        return devtoolsPage(await context.newPage(), () => context.close());
      },
      close: () => browser.close(),
    };
  }
  if (engine === 'firefox') {
    const browser = await launchFirefox(undefined, { proxy });
    const version = (await browser.version()).replace('firefox/', 'Firefox ');
    return {
      engine,
      version,
      newPage: async () => {
        const context = await browser.createBrowserContext();
        return devtoolsPage(await context.newPage(), () => context.close());
      },
      close: () => browser.close(),
    };
  }
  if (engine === 'webkit') {
    const driver = await startWebKitDriver();
    let version = 'WebKitGTK';
    return {
      engine,
      get version() {
        return version;
      },
      newPage: async () => {
        const session = await driver.newSession({ proxy });
        version = `WebKitGTK ${session.version}`;
        return webDriverPage(session);
      },
      close: () => driver.close(),
    };
  }
  throw new TypeError(`unknown browser engine "${engine}": use one of ${ENGINES.join(', ')}`);
}
