import type { Browser } from 'playwright-core';

/** Debian's Chromium, or the one `CHROMIUM_PATH` names. */
export declare const CHROMIUM_PATH: string;
/** Flags for headless Chromium as root without outside network. */
export declare const CHROMIUM_ARGS: string[];
/** Launches headless Chromium through playwright-core; close the returned browser when done. */
export declare function launchChromium(executablePath?: string): Promise<Browser>;
