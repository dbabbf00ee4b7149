/**
 * `@otel-server-timing/koa/internal`: what this project's benchmarks build on to measure the middleware
 * against one made the same way. Not covered by semver: it changes in any release. Applications use the
 * main entry.
 */
export { untracedMiddleware } from './untraced-middleware.js';
