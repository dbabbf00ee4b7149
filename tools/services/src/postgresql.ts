import { type RunningService, type ServiceDefinition, startService } from './service.js';

/** Debian's PostgreSQL 15 binaries. */
const BIN = process.env.POSTGRESQL_BIN ?? '/usr/lib/postgresql/15/bin';

export type PostgresqlService = RunningService & { user: string; database: string };

/** PostgreSQL: a fresh cluster (`initdb`), run as the `postgres` user, trusting local connections. */
export const postgresql: ServiceDefinition = {
  name: 'postgresql',
  user: 'postgres',
  prepare({ directory, port, run }) {
    const data = `${directory}/data`;
    run(`${BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    return {
      command: `${BIN}/postgres`,
      args: [
        '-D',
        data,
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-k',
        directory,
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'synchronous_commit=off',
      ],
    };
  },
  // SIGINT is PostgreSQL's "fast" shutdown: disconnects clients and stops.
  stopSignal: 'SIGINT',
};

/** Starts PostgreSQL; connect as user `postgres` to database `postgres`, no password. */
export async function startPostgresql(): Promise<PostgresqlService> {
  const service = await startService(postgresql);
  return Object.assign(service, { user: 'postgres', database: 'postgres' });
}
