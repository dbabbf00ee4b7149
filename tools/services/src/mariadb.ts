import { type RunningService, type ServiceDefinition, startService } from './service.js';

export type MariadbService = RunningService & { user: string; database: string };

/**
 * MariaDB: a fresh data directory (`mariadb-install-db`), run as the `mysql` user with its socket in the
 * temporary directory; `root` connects over TCP without a password.
 */
export const mariadb: ServiceDefinition = {
  name: 'mariadb',
  user: 'mysql',
  prepare({ directory, port, run }) {
    const data = `${directory}/data`;
    run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${data}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
    return {
      command: 'mariadbd',
      args: [
        '--no-defaults',
        `--datadir=${data}`,
        `--socket=${directory}/mariadb.sock`,
        `--pid-file=${directory}/mariadb.pid`,
        '--bind-address=127.0.0.1',
        `--port=${port}`,
        '--skip-name-resolve',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=16M',
        '--innodb-flush-log-at-trx-commit=0',
      ],
    };
  },
};

/** Starts MariaDB; connect as `root` (no password) to database `mysql`. */
export async function startMariadb(): Promise<MariadbService> {
  const service = await startService(mariadb);
  return Object.assign(service, { user: 'root', database: 'mysql' });
}
