// One `@opentelemetry/api` per process: our packages must resolve the very copy the set's SDK uses, or
// their `context.active()` and `trace.getSpan()` would read another API's globals.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { loadSet, startTracing } from './set.mjs';

const set = loadSet();
const API = '@opentelemetry/api';

/**
 * The folder of the `@opentelemetry/api` that code inside the given installed package resolves.
 * @param {string} packageName
 */
function apiFolderSeenBy(packageName) {
  const requireThere = createRequire(set.require.resolve(packageName));
  let folder = dirname(requireThere.resolve(API));
  while (!folder.endsWith(join('node_modules', '@opentelemetry', 'api'))) folder = dirname(folder);
  return folder;
}

describe(`@opentelemetry/api ${set.versions[API]} is one instance`, () => {
  const setApi = apiFolderSeenBy(API);

  it('is the version the set pins', () => {
    assert.equal(JSON.parse(readFileSync(join(setApi, 'package.json'), 'utf8')).version, set.versions[API]);
  });

  const ourPackages = ['core', 'node', 'express', 'fastify', 'koa', 'fetch', 'hono', 'browser'].map(
    (name) => `@otel-server-timing/${name}`,
  );
  for (const ours of ourPackages) {
    it(`is the one ${ours} resolves`, () => {
      assert.equal(apiFolderSeenBy(ours), setApi);
    });
  }

  it('holds the tracer provider the SDK registered, under its own version', async () => {
    const core = set.require('@otel-server-timing/core');
    const tracing = startTracing(set, { spanProcessor: new core.ServerTimingSpanProcessor() });
    try {
      const globals = /** @type {Record<symbol, { version?: string, trace?: unknown }>} */ (globalThis);
      const registered = globals[Symbol.for('opentelemetry.js.api.1')];
      assert.equal(registered?.version, set.versions[API]);
      assert.ok(registered?.trace !== undefined);
    } finally {
      await tracing.stop();
    }
  });
});
