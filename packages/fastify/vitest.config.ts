// Shared by the express, fastify and koa adapters.
export { adapterVitestConfig as default } from '../express/test-kit/vitest-config.js';
