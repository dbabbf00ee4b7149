// Firefox ESR from Debian's `firefox-esr` package, driven over WebDriver BiDi by puppeteer-core, which
// talks to Firefox itself: no geckodriver and no browser download.
import puppeteer from 'puppeteer-core';

/** Debian's Firefox ESR, or the one `FIREFOX_PATH` names. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/** Firefox preferences that send every request through the HTTP proxy at `host:port`. */
function proxyPrefs(proxy) {
  if (!proxy) return {};
  const [host, port] = proxy.split(':');
  return { 'network.proxy.type': 1, 'network.proxy.http': host, 'network.proxy.http_port': Number(port) };
}

/**
 * Launches headless Firefox with a throwaway profile; close the returned browser when done. With `proxy`
 * (`host:port`), every request goes through that HTTP proxy.
 */
export function launchFirefox(executablePath = FIREFOX_PATH, { proxy } = {}) {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: {
      // Nothing to reach but loopback here: no update, telemetry or remote-settings requests.
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      ...proxyPrefs(proxy),
    },
  });
}
