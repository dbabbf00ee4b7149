// The Express application with our ESM builds, as `import` loads them, and Express imported through the
// import-in-the-middle loader hook that ESM applications register for instrumentations to apply.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { testExpressApp } from './express-suite.mjs';

testExpressApp('ESM', {
  ours: async (set) => ({
    core: /** @type {typeof import('@otel-server-timing/core')} */ (
      await set.sdk.importHere('@otel-server-timing/core')
    ),
    adapter: /** @type {typeof import('@otel-server-timing/express')} */ (
      await set.sdk.importHere('@otel-server-timing/express')
    ),
  }),
  express: async (set) => {
    register(pathToFileURL(set.require.resolve('@opentelemetry/instrumentation/hook.mjs')));
    const module = await set.sdk.importHere('express');
    return /** @type {typeof import('express')} */ (module.default);
  },
});
