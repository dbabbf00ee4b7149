import { engines } from '@otel-server-timing/browsers/vitest-provider';
import { defineConfig, type Plugin } from 'vitest/config';
import { PAGE_SERVER_TIMING } from './test/support/constants.js';
import { answerServerTiming } from './test/support/test-servers.js';

/** Gives the test page's own server real `Server-Timing` headers: on documents and on `/__server-timing/`. */
function serverTimingHeaders(): Plugin {
  return {
    name: 'server-timing-headers',
    enforce: 'pre',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        if (answerServerTiming(request, response)) return;
        const destination = request.headers['sec-fetch-dest'];
        if (destination === 'iframe' || destination === 'document') {
          response.setHeader('Server-Timing', PAGE_SERVER_TIMING);
        }
        next();
      });
    },
  };
}

export default defineConfig({
  test: {
    projects: [
      {
        // Browsers start slowly on a busy machine; no test may fail for that.
        test: {
          name: 'node',
          include: ['test/*.test.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [serverTimingHeaders()],
        // Pre-bundled up front: discovering them mid-run makes Vite reload the test page.
        optimizeDeps: {
          include: [
            '@opentelemetry/api',
            '@opentelemetry/instrumentation',
            '@opentelemetry/instrumentation-document-load',
            '@opentelemetry/instrumentation-fetch',
            '@opentelemetry/instrumentation-xml-http-request',
            '@opentelemetry/sdk-trace-base',
            '@opentelemetry/sdk-trace-web',
            'web-vitals',
          ],
        },
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // Browsers start slowly on a busy machine; no test may fail for that.
          testTimeout: 60_000,
          hookTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            // The same files in each engine, from Debian's packages (tools/browsers says how each starts).
            provider: engines(),
            instances: [{ browser: 'chromium' }, { browser: 'firefox' }, { browser: 'webkit' }],
          },
        },
      },
    ],
  },
});
