// The Express application with our CommonJS builds, as `require` loads them.
import { testExpressApp } from './express-suite.mjs';

testExpressApp('CommonJS', {
  ours: async (set) => ({
    core: set.require('@otel-server-timing/core'),
    adapter: set.require('@otel-server-timing/express'),
  }),
  express: async (set) => set.require('express'),
});
