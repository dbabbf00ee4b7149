/**
 * Zero-code entry: `node --import @otel-server-timing/node/register app.mjs` (or `--require … app.cjs`)
 * starts the OpenTelemetry Node SDK with the auto-instrumentations and the `Server-Timing` header (see
 * `zero-code.ts`), in the main thread only. Node also runs `--require` preloads in the thread that
 * `module.register()` starts for module hooks (Node 20), and every preload in each `Worker` the application
 * starts; a second SDK there would double the start-up and see no request of the application.
 */
import { isMainThread } from 'node:worker_threads';
import { startZeroCode } from './zero-code.js';

if (isMainThread) startZeroCode();
