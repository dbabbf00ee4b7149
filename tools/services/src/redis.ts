import { type RunningService, type ServiceDefinition, startService } from './service.js';

/** Redis without persistence: nothing written to disk. */
export const redis: ServiceDefinition = {
  name: 'redis',
  prepare({ directory, port }) {
    return {
      command: 'redis-server',
      args: [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        directory,
      ],
    };
  },
};

export function startRedis(): Promise<RunningService> {
  return startService(redis);
}
