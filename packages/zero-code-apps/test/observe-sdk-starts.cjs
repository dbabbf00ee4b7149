// Test harness, not part of any app: preloaded after the entry with the same flag, in every thread that
// runs preloads (the main thread, Node 20's module-hooks thread under --require, worker threads). It
// appends one line per thread to $SDK_STARTS_FILE saying whether an OpenTelemetry SDK registered its tracer
// provider there (the API's global registry, which every copy of @opentelemetry/api shares).
const { appendFileSync } = require('node:fs');
const { isMainThread, threadId } = require('node:worker_threads');

const registry = /** @type {Record<symbol, { trace?: unknown } | undefined>} */ (globalThis)[
  Symbol.for('opentelemetry.js.api.1')
];
const line = { threadId, isMainThread, sdkStarted: registry?.trace !== undefined };
appendFileSync(/** @type {string} */ (process.env.SDK_STARTS_FILE), `${JSON.stringify(line)}\n`);
