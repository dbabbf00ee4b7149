// The one place that says which browsers the tests, the conformance recorder and the demo's screenshot
// use, and how to start each one headless as root on a machine whose only network is loopback.
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchChromium } from './chromium.js';
export { ENGINES, launchEngine } from './engines.js';
export { FIREFOX_PATH, launchFirefox } from './firefox.js';
export { startWebKitDriver, WEBKIT_DRIVER_PATH } from './webkit.js';
