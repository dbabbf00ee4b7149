import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type MariadbService,
  type PostgresqlService,
  type RunningService,
  startMariadb,
  startMemcached,
  startPostgresql,
  startRedis,
} from '@otel-server-timing/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorpusCase, compareHeader } from '../src/check.js';
import { CORPUS } from '../src/corpus.js';
import { type CorpusSdk, startCorpusSdk } from '../src/sdk.js';
import { fetchServerTiming, listen } from '../src/serve.js';

/**
 * Database drivers and what surrounds them (pools, connections, batching), each behind a plain
 * `node:http` route on real servers: PostgreSQL, MariaDB, Redis and memcached from Debian's packages,
 * started once for this file.
 */

const sdk: CorpusSdk = startCorpusSdk();
const exported = () => sdk.exporter.getFinishedSpans();
let postgresql: PostgresqlService;
let mariadb: MariadbService;
let redis: RunningService;
let memcached: RunningService;
let origin = '';
const closers: (() => Promise<unknown> | unknown)[] = [];
const routes = new Map<string, () => Promise<unknown>>();

beforeAll(async () => {
  [postgresql, mariadb, redis, memcached] = await Promise.all([
    startPostgresql(),
    startMariadb(),
    startRedis(),
    startMemcached(),
  ]);
  const require = sdk.require;
  const pg = require('pg') as typeof import('pg');
  const pgConfig = {
    host: postgresql.host,
    port: postgresql.port,
    user: postgresql.user,
    database: postgresql.database,
  };
  const pool = new pg.Pool({ ...pgConfig, max: 2 });
  // An idle client learns of the server's shutdown at the end of the file; that is no test failure.
  pool.on('error', () => {});
  closers.push(() => pool.end());
  routes.set('/pg', async () => {
    await pool.query('SELECT $1::int AS user_id', [42]);
    await pool.query("SELECT 'user:42' AS secret");
    await pool.query('SELECT count(*) FROM pg_class');
  });
  routes.set('/net', async () => {
    const client = new pg.Client(pgConfig);
    await client.connect();
    await client.query('SELECT 1');
    await client.end();
  });
  const knex = (require('knex') as typeof import('knex').default)({
    client: 'pg',
    connection: pgConfig,
    pool: { min: 0, max: 1 },
  });
  closers.push(() => knex.destroy());
  routes.set('/knex', async () => {
    await knex('pg_class').count();
    await knex.raw('SELECT 1');
  });
  const DataLoader = require('dataloader') as typeof import('dataloader');
  routes.set('/dataloader', async () => {
    const users = new DataLoader(async (ids: readonly number[]) => {
      const result = await pool.query('SELECT unnest($1::int[]) AS id', [ids]);
      return result.rows.map((row: { id: number }) => row.id);
    });
    await Promise.all([users.load(1), users.load(2), users.load(3)]);
  });
  const genericPool = require('generic-pool') as typeof import('generic-pool');
  const resources = genericPool.createPool({ create: async () => ({}), destroy: async () => {} }, { max: 1 });
  closers.push(async () => {
    await resources.drain();
    await resources.clear();
  });
  routes.set('/generic-pool', async () => {
    const resource = await resources.acquire();
    await pool.query('SELECT 1');
    await resources.release(resource);
  });
  const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
  const mysqlPool = mysql.createPool({
    host: mariadb.host,
    port: mariadb.port,
    user: mariadb.user,
    database: mariadb.database,
    connectionLimit: 1,
  });
  closers.push(() => mysqlPool.end());
  routes.set('/mysql2', async () => {
    await mysqlPool.query('SELECT ? AS user_id', [42]);
    await mysqlPool.query('SELECT 1');
  });
  const mysqlLegacy = require('mysql') as typeof import('mysql');
  const legacyPool = mysqlLegacy.createPool({
    host: mariadb.host,
    port: mariadb.port,
    user: mariadb.user,
    database: mariadb.database,
    connectionLimit: 1,
  });
  closers.push(() => new Promise((resolve) => legacyPool.end(resolve)));
  const legacyQuery = (sql: string, values: unknown[] = []) =>
    new Promise((resolve, reject) =>
      legacyPool.query(sql, values, (error, rows) => (error ? reject(error) : resolve(rows))),
    );
  routes.set('/mysql', async () => {
    await legacyQuery('SELECT ? AS user_id', [42]);
    await legacyQuery('SELECT 1');
  });
  const Redis = require('ioredis') as typeof import('ioredis').default;
  const ioredis = new Redis(redis.port, redis.host);
  closers.push(() => ioredis.quit());
  routes.set('/ioredis', async () => {
    await ioredis.set('user:42', 'Ada');
    await ioredis.get('user:42');
    await ioredis.del('user:42');
  });
  const nodeRedis = (require('redis') as typeof import('redis')).createClient({
    url: `redis://${redis.host}:${redis.port}`,
  });
  await nodeRedis.connect();
  closers.push(() => nodeRedis.quit());
  routes.set('/redis', async () => {
    await nodeRedis.set('user:42', 'Ada');
    await nodeRedis.get('user:42');
  });
  const Memcached = require('memcached') as typeof import('memcached');
  const memcache = new Memcached(`${memcached.host}:${memcached.port}`);
  closers.push(() => memcache.end());
  routes.set('/memcached', async () => {
    await new Promise((resolve, reject) =>
      memcache.set('user:42', 'Ada', 60, (error) => (error ? reject(error) : resolve(undefined))),
    );
    await new Promise((resolve, reject) =>
      memcache.get('user:42', (error, data) => (error ? reject(error) : resolve(data))),
    );
  });
  // node:http as instrumentation-http patched it (the ESM import above the set-up is not).
  const { createServer } = require('node:http') as typeof import('node:http');
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const route = routes.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (route === undefined) {
      response.writeHead(404).end();
      return;
    }
    route().then(
      () => response.end('ok'),
      (error) => response.writeHead(500).end(String(error)),
    );
  });
  const listening = await listen(server);
  origin = listening.origin;
  closers.push(() => listening.close());
});

afterAll(async () => {
  for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => {});
  await Promise.all([postgresql, mariadb, redis, memcached].map((service) => service?.stop()));
  await sdk.shutdown();
});

/** Runs the route twice (the first warms up connections and pools), then compares the second's header. */
async function expectTruth(path: string, corpusCase: CorpusCase): Promise<void> {
  await fetchServerTiming(`${origin}${path}?warm=1`, exported);
  sdk.exporter.reset();
  const { status, header } = await fetchServerTiming(`${origin}${path}?q=secret`, exported);
  expect(status, header).toBe(200);
  const problems = compareHeader(corpusCase, header, sdk.exporter.getFinishedSpans());
  expect(problems.join('\n\n')).toBe('');
}

describe('database drivers on real servers', () => {
  it('pg + pg-pool: one postgresql metric counting the queries, not the pool checkouts', async () => {
    await expectTruth('/pg', CORPUS.pg);
  });

  it('net: a connection made during the request is not work of its own (pg.connect, tcp.connect)', async () => {
    await expectTruth('/net', CORPUS.net);
  });

  it('knex: its query spans count, the pg spans beneath them are part of them', async () => {
    await expectTruth('/knex', CORPUS.knex);
  });

  it('dataloader: the batch query counts; the loads and the batch are not metrics', async () => {
    await expectTruth('/dataloader', CORPUS.dataloader);
  });

  it('generic-pool: acquiring a resource is not work', async () => {
    await expectTruth('/generic-pool', CORPUS.genericPool);
  });

  it('mysql2 on MariaDB: one mysql metric counting the queries', async () => {
    await expectTruth('/mysql2', CORPUS.mysql2);
  });

  it('mysql (the older driver) on MariaDB: one mysql metric counting the queries', async () => {
    await expectTruth('/mysql', CORPUS.mysql);
  });

  it('ioredis: one redis metric counting the commands', async () => {
    await expectTruth('/ioredis', CORPUS.ioredis);
  });

  it('redis (node-redis): one redis metric counting the commands', async () => {
    await expectTruth('/redis', CORPUS.redis);
  });

  it('memcached: one memcached metric counting the commands', async () => {
    await expectTruth('/memcached', CORPUS.memcached);
  });
});
