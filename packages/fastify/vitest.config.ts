// Shared by the express, fastify and koa adapters.
export { adapterVitestConfig as default } from '../../tools/adapter-test-kit/vitest-config.js';
