import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  type RunningService,
  redis,
  startMariadb,
  startMemcached,
  startNginxCache,
  startPostgresql,
  startRedis,
  startService,
} from '../src/index.js';

/** Sends one line over TCP and resolves with the first reply. */
function ask(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('data', (data) => {
      socket.destroy();
      resolve(String(data));
    });
    socket.write(line);
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function expectStopped(service: RunningService): Promise<void> {
  await service.stop();
  expect(await refused(service.port)).toBe(true);
  expect(existsSync(service.directory)).toBe(false);
}

describe('real services on 127.0.0.1', () => {
  it('Redis answers PING, then is gone with its directory', async () => {
    const service = await startRedis();
    expect(await ask(service.port, 'PING\r\n')).toBe('+PONG\r\n');
    await expectStopped(service);
  });

  it('memcached answers version, then is gone', async () => {
    const service = await startMemcached();
    expect(await ask(service.port, 'version\r\n')).toMatch(/^VERSION /);
    await expectStopped(service);
  });

  it('nginx serves a cacheable response from its cache the second time, then is gone', async () => {
    let answered = 0;
    const origin = createServer((request, response) => {
      answered++;
      response.setHeader('Cache-Control', request.url === '/public' ? 'public, max-age=60' : 'private');
      response.end(String(answered));
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    const { port } = origin.address() as { port: number };
    try {
      const service = await startNginxCache(`http://127.0.0.1:${port}`);
      const get = async (path: string) => {
        const response = await fetch(`http://127.0.0.1:${service.port}${path}`);
        return [await response.text(), response.headers.get('x-cache-status')];
      };
      expect(await get('/public')).toEqual(['1', 'MISS']);
      expect(await get('/public')).toEqual(['1', 'HIT']);
      expect(await get('/private')).toEqual(['2', 'MISS']);
      expect(await get('/private')).toEqual(['3', 'MISS']);
      await expectStopped(service);
    } finally {
      origin.closeAllConnections();
      await new Promise((resolve) => origin.close(resolve));
    }
  });

  it('PostgreSQL accepts a connection, then is gone', async () => {
    const service = await startPostgresql();
    // The server's first reply to an SSL request is one byte: 'N' (no SSL) or 'S'.
    const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
    expect(['N', 'S']).toContain(await ask(service.port, sslRequest as unknown as string));
    await expectStopped(service);
  });

  it('MariaDB greets with its handshake, then is gone', async () => {
    const service = await startMariadb();
    expect(await ask(service.port, '')).toContain('MariaDB');
    await expectStopped(service);
  });

  it('a server that cannot start fails with its output, leaving nothing behind', async () => {
    let directory = '';
    await expect(
      startService({
        name: 'broken',
        prepare(context) {
          directory = context.directory;
          return { command: 'sh', args: ['-c', 'echo cannot start >&2; exit 3'] };
        },
      }),
    ).rejects.toThrow(/cannot start/);
    expect(existsSync(directory)).toBe(false);
  });

  it('stops the server and removes its directory when its owner is killed', async () => {
    // Stands in for a test process that dies without running any clean-up (SIGKILL).
    const owner = spawn('sleep', ['60'], { stdio: 'ignore' });
    const service = await startService(redis, { owner: owner.pid });
    expect(await ask(service.port, 'PING\r\n')).toBe('+PONG\r\n');
    owner.kill('SIGKILL');
    for (let waited = 0; waited < 100 && !(await refused(service.port)); waited++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await refused(service.port)).toBe(true);
    for (let waited = 0; waited < 50 && existsSync(service.directory); waited++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(existsSync(service.directory)).toBe(false);
    await service.stop();
  });
});
