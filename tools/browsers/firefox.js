// Firefox ESR from Debian's `firefox-esr` package, driven over WebDriver BiDi by puppeteer-core, which
// talks to Firefox itself: no geckodriver and no browser download.
import puppeteer from 'puppeteer-core';

/** Debian's Firefox ESR, or the one `FIREFOX_PATH` names. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/** Launches headless Firefox with a throwaway profile; close the returned browser when done. */
export function launchFirefox(executablePath = FIREFOX_PATH) {
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
    },
  });
}
