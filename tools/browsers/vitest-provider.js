// A Vitest browser-mode provider that runs the same test files in Chromium, Firefox and WebKit: it only
// opens Vitest's test page in the engine the instance names (`instances: [{ browser: 'firefox' }]`).
// Playwright's provider cannot: it needs its own patched Firefox and WebKit builds, which cannot be
// downloaded here. Tests that need provider commands (userEvent, screenshots) do not run under it.
import { defineBrowserProvider } from '@vitest/browser';
import { ENGINES, launchEngine } from './engines.js';

const NAME = 'otel-server-timing-engines';
/** How long `close()` waits for a browser to close, in milliseconds. */
const CLOSE_TIMEOUT_MS = 30_000;

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

class EngineProvider {
  name = NAME;
  // One page per engine runs every test file in turn: each browser starts once per run.
  supportsParallelism = false;
  #engine;
  #browser;
  #pages = new Map();

  constructor(project) {
    this.#engine = project.config.browser.name;
  }

  getCommandsContext() {
    return {};
  }

  async openPage(sessionId, url) {
    this.#browser ??= launchEngine(this.#engine);
    const browser = await this.#browser;
    let page = this.#pages.get(sessionId);
    if (!page) {
      page = await browser.newPage();
      this.#pages.set(sessionId, page);
    }
    await page.goto(url);
  }

  async close() {
    const browser = this.#browser;
    this.#browser = undefined;
    this.#pages.clear();
    if (!browser) return;
    // Vitest waits for this without a time limit. A browser that has not closed in time is ended when the
    // process exits (each launcher sees to that), so the run cannot hang on it.
    await Promise.race([(await browser).close(), delay(CLOSE_TIMEOUT_MS)]);
  }
}

/** The provider for `test.browser.provider`; each instance's `browser` is an engine name. */
export function engines() {
  return defineBrowserProvider({
    name: NAME,
    supportedBrowser: ENGINES,
    options: {},
    providerFactory: (project) => new EngineProvider(project),
  });
}
