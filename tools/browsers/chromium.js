// Chromium from Debian's `chromium` package, driven by playwright-core (which downloads no browser).
import { chromium } from 'playwright-core';

/** Debian's Chromium, or the one `CHROMIUM_PATH` names. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Flags for headless Chromium as root without outside network: no sandbox (root), no GPU, and none of
 * the background requests (component updates, sync, QUIC probes) that would keep trying hosts it cannot reach.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium through playwright-core; close the returned browser when done. With `proxy`
 * (`host:port`), every request goes through that HTTP proxy.
 */
export function launchChromium(executablePath = CHROMIUM_PATH, { proxy } = {}) {
  const args = proxy ? [...CHROMIUM_ARGS, `--proxy-server=http://${proxy}`] : CHROMIUM_ARGS;
  return chromium.launch({ executablePath, args });
}
