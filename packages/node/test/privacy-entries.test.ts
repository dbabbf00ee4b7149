import http from 'node:http';
import { closeServer, levelFromHeader, listen } from '@otel-server-timing/adapter-test-kit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { instrumentEveryServer, instrumentServer, NodeServerTiming } from '../src/index.js';
import { expectCacheable, expectEachLevel, privacyListener } from './privacy-levels.js';
import { startTelemetry } from './telemetry.js';

const telemetry = startTelemetry();
afterAll(() => telemetry.shutdown());
let server: http.Server | undefined;
afterEach(async () => {
  if (server !== undefined) await closeServer(server);
});

describe('privacy levels in the node entry points', () => {
  it.each(['strip', 'keep'] as const)('NodeServerTiming#attach, sharedCache %s', async (sharedCache) => {
    const timing = new NodeServerTiming({ level: levelFromHeader, sharedCache });
    server = http.createServer((req, res) => {
      timing.attach(req, res);
      privacyListener(req, res);
    });
    const origin = await listen(server);
    await expectEachLevel(origin);
    await expectCacheable(origin, sharedCache);
  });

  it('instrumentServer', async () => {
    server = instrumentServer(http.createServer(privacyListener), { level: levelFromHeader });
    const origin = await listen(server);
    await expectEachLevel(origin);
    await expectCacheable(origin, 'strip');
  });

  it('instrumentEveryServer', async () => {
    const stop = instrumentEveryServer({ level: levelFromHeader });
    try {
      server = http.createServer(privacyListener);
      const origin = await listen(server);
      await expectEachLevel(origin);
      await expectCacheable(origin, 'strip');
    } finally {
      stop();
    }
  });

  it('rejects a level that is no level', () => {
    expect(() => new NodeServerTiming({ level: 'public' as never })).toThrow(
      /option `level` must be one of 'full', 'metrics', 'trace', 'none'/,
    );
  });
});
