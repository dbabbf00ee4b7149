// Runs in the secure-context test's page: what the reader says about the page's own navigation entry.
import type { ServerTiming } from '../../dist/index.js';
import { getServerTiming } from '../../dist/index.js';

/** What the page saw, as the test reads it. */
export type SecureContextRecord = {
  secure: boolean;
  /** Whether the navigation entry has a `serverTiming` attribute at all. */
  hasAttribute: boolean;
  reading: ServerTiming | undefined;
};

declare global {
  interface Window {
    secureContextRecord: SecureContextRecord;
  }
}

const [navigation] = performance.getEntriesByType('navigation');
window.secureContextRecord = {
  secure: isSecureContext,
  hasAttribute: navigation !== undefined && 'serverTiming' in navigation,
  reading: getServerTiming(),
};
