import type { BrowserProviderOption } from 'vitest/node';

/** Vitest browser-mode provider for Chromium, Firefox and WebKit from Debian's packages. */
export declare function engines(): BrowserProviderOption;
