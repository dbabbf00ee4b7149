export type { MariadbService } from './mariadb.js';
export { mariadb, startMariadb } from './mariadb.js';
export { memcached, startMemcached } from './memcached.js';
export { nginxCache, startNginxCache } from './nginx.js';
export type { PostgresqlService } from './postgresql.js';
export { postgresql, startPostgresql } from './postgresql.js';
export { redis, startRedis } from './redis.js';
export type { RunningService, ServiceContext, ServiceDefinition } from './service.js';
export { freePort, HOST, startService, waitForPort } from './service.js';
