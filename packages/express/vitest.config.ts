// Shared by the express, fastify and koa adapters.
export { adapterVitestConfig as default } from './test-kit/vitest-config.js';
