import type { FactoryProvider } from '@nestjs/common';
import { Pool } from 'pg';

/** Injection token of the app's `pg.Pool`. */
export const POOL = Symbol('pg.Pool');

/**
 * The app's connection pool, to a real PostgreSQL: PGlite served on 127.0.0.1 in this process (nothing to
 * install). Point `connectionString` at your own PostgreSQL instead and nothing else changes.
 */
export const poolProvider: FactoryProvider<Pool> = {
  provide: POOL,
  async useFactory() {
    const { startPostgres } = await import('@otel-server-timing/example-support/database');
    const { connectionString } = await startPostgres();
    return new Pool({ connectionString });
  },
};
