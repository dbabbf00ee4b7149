import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST, type RunningService, type ServiceDefinition, startService } from './service.js';

/**
 * nginx as a caching reverse proxy (`proxy_cache` on) in front of `upstream` (an origin such as
 * `http://127.0.0.1:3000`): what a CDN does to a response, on 127.0.0.1. It caches what the upstream's
 * headers allow (nginx honours `Cache-Control`/`Expires` and leaves `private`, `no-store`, `no-cache` and
 * `Set-Cookie` responses alone) and says in `X-Cache-Status` whether it answered from its cache (`HIT`).
 * One process (`master_process off`), so it runs as the current user and writes only to its directory.
 */
export function nginxCache(upstream: string): ServiceDefinition {
  return {
    name: 'nginx',
    prepare({ directory, port }) {
      const path = (name: string) => join(directory, name);
      const config = `
daemon off;
master_process off;
pid ${path('nginx.pid')};
error_log ${path('error.log')} warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${path('client-body')};
  proxy_temp_path ${path('proxy')};
  fastcgi_temp_path ${path('fastcgi')};
  uwsgi_temp_path ${path('uwsgi')};
  scgi_temp_path ${path('scgi')};
  proxy_cache_path ${path('cache')} keys_zone=responses:1m;
  server {
    listen ${HOST}:${port};
    location / {
      proxy_pass ${upstream};
      proxy_cache responses;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
}
`;
      writeFileSync(path('nginx.conf'), config);
      return {
        command: '/usr/sbin/nginx',
        args: ['-p', directory, '-c', path('nginx.conf'), '-e', path('error.log')],
      };
    },
    // Fast shutdown; SIGQUIT would wait for open keep-alive connections.
    stopSignal: 'SIGTERM',
  };
}

/** Starts {@link nginxCache} in front of `upstream`. */
export function startNginxCache(upstream: string): Promise<RunningService> {
  return startService(nginxCache(upstream));
}
