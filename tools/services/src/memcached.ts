import { type RunningService, type ServiceDefinition, startService } from './service.js';

/** memcached on TCP only (no UDP), run as its own user since it refuses root. */
export const memcached: ServiceDefinition = {
  name: 'memcached',
  user: 'memcache',
  prepare({ port }) {
    return {
      command: 'memcached',
      args: ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '16'],
    };
  },
};

export function startMemcached(): Promise<RunningService> {
  return startService(memcached);
}
