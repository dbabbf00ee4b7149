/**
 * Zero-code entry: `node --import @otel-server-timing/node/register app.mjs` (or `--require … app.cjs`)
 * starts the OpenTelemetry Node SDK with the auto-instrumentations and the `Server-Timing` header (see
 * `zero-code.ts`), in the main thread only. Node also runs `--require` preloads in the thread that
 * `module.register()` starts for module hooks (Node 20), and every preload in each `Worker` the application
 * starts; a second SDK there would double the start-up and see no request of the application.
 *
 * So this file loads nothing else until it knows it runs in the main thread: the SDK, core and this
 * package's shared chunk (about 25 ms of loading) are required from the zero-code entry only then. It is
 * required synchronously (the CommonJS build, whichever build this file is), so the SDK has started when
 * `--require` or `--import` hands over to the application.
 */
import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import type * as ZeroCode from './zero-code.js';

if (isMainThread) {
  const zeroCode = createRequire(import.meta.url)('./zero-code.cjs') as typeof ZeroCode;
  zeroCode.startZeroCode();
}
