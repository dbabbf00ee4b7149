import pg from 'pg';

// One pool for the process. DATABASE_URL names any PostgreSQL; the tests start PGlite behind
// pglite-socket, a real PostgreSQL in the test process.
const globalPool = globalThis as { examplePool?: pg.Pool };

export function database(): pg.Pool {
  globalPool.examplePool ??= new pg.Pool({
    connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    max: 1,
  });
  return globalPool.examplePool;
}
