import type { Browser } from 'playwright-core';
import type { Browser as PuppeteerBrowser } from 'puppeteer-core';

/** The engines the tests run in. */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** The engines the tests run in. */
export declare const ENGINES: readonly EngineName[];

/** A page, the same in every engine. Functions passed in run in the page: they see no outer variable. */
export interface EnginePage {
  /** Navigates and waits for the load event. */
  goto(url: string): Promise<void>;
  /** Runs `fn(arg)` in the page and returns its (JSON-serializable) result, awaited. */
  evaluate<Result, Arg = undefined>(fn: (arg: Arg) => Result | Promise<Result>, arg?: Arg): Promise<Result>;
  /** Polls `fn(arg)` in the page until it returns something truthy (default limit 30 s). */
  waitForFunction<Arg = undefined>(fn: (arg: Arg) => unknown, arg?: Arg, timeoutMs?: number): Promise<void>;
  /** Messages of the page's uncaught errors (in WebKit: only those after `goto()` returned). */
  errors(): Promise<string[]>;
  close(): Promise<void>;
}

/** A running engine; each page it opens has its own cache and cookies. */
export interface EngineBrowser {
  engine: EngineName;
  /** E.g. `Chromium 156.0.8078.114`, `Firefox 153.8.0`, `WebKitGTK 2.50.6` (known after the first page). */
  readonly version: string;
  newPage(): Promise<EnginePage>;
  close(): Promise<void>;
}

/** Options of {@link launchEngine}. */
export interface EngineOptions {
  /** `host:port` of an HTTP proxy for every request: a way to reach 127.0.0.1 under any host name. */
  proxy?: string;
}

/** Starts an engine headless (WebKit under xvfb-run); close it when done. */
export declare function launchEngine(engine: EngineName, options?: EngineOptions): Promise<EngineBrowser>;

/** Debian's Chromium, or the one `CHROMIUM_PATH` names. */
export declare const CHROMIUM_PATH: string;
/** Flags for headless Chromium as root without outside network. */
export declare const CHROMIUM_ARGS: string[];
/** Launches headless Chromium through playwright-core; close the returned browser when done. */
export declare function launchChromium(executablePath?: string, options?: EngineOptions): Promise<Browser>;

/** Debian's Firefox ESR, or the one `FIREFOX_PATH` names. */
export declare const FIREFOX_PATH: string;
/** Launches headless Firefox through puppeteer-core (WebDriver BiDi); close the returned browser when done. */
export declare function launchFirefox(
  executablePath?: string,
  options?: EngineOptions,
): Promise<PuppeteerBrowser>;

/** Debian's WebKitWebDriver, or the one `WEBKIT_DRIVER_PATH` names. */
export declare const WEBKIT_DRIVER_PATH: string;
/** A WebDriver session: one MiniBrowser window. */
export interface WebKitSession {
  version: string;
  navigate(url: string): Promise<unknown>;
  executeAsync(script: string, args: unknown[]): Promise<unknown>;
  close(): Promise<unknown>;
}
/** Starts WebKitWebDriver under `xvfb-run -a`; each `newSession()` opens a MiniBrowser. */
export declare function startWebKitDriver(
  executablePath?: string,
): Promise<{ newSession(options?: EngineOptions): Promise<WebKitSession>; close(): Promise<void> }>;
