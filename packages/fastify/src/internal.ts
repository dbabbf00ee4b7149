/**
 * `@otel-server-timing/fastify/internal`: what this project's benchmarks build on to measure the plugin
 * against a hook made the same way. Not covered by semver: it changes in any release. Applications use
 * the main entry.
 */
export { addUntracedHook } from './untraced-hooks.js';
