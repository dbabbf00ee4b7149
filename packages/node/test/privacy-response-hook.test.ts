import http from 'node:http';
import { closeServer, levelFromHeader, listen } from '@otel-server-timing/adapter-test-kit';
import { afterAll, afterEach, describe, it } from 'vitest';
import { serverTimingResponseHook } from '../src/index.js';
import { expectCacheable, expectEachLevel, privacyListener } from './privacy-levels.js';
import { startTelemetry } from './telemetry.js';

// instrumentation-http's responseHook is fixed when the SDK starts: the level comes from the request.
const telemetry = startTelemetry(undefined, {
  responseHook: serverTimingResponseHook({ level: levelFromHeader }),
});
afterAll(() => telemetry.shutdown());
let server: http.Server | undefined;
afterEach(async () => {
  if (server !== undefined) await closeServer(server);
});

describe("privacy levels through instrumentation-http's responseHook", () => {
  it('writes each level chosen from the request, and nothing on a publicly cacheable response', async () => {
    server = http.createServer(privacyListener);
    const origin = await listen(server);
    await expectEachLevel(origin);
    await expectCacheable(origin, 'strip');
  });
});
