import type { CacheableExchange } from '@otel-server-timing/core';

function reader(headers: Headers | undefined): (name: string) => string | undefined {
  return (name) => headers?.get(name) ?? undefined;
}

/** A Fetch exchange as the shared-cache decision reads it (the response's headers as they are now). */
export function fetchExchange(request: Request, response: Response): CacheableExchange {
  return {
    method: request.method,
    status: response?.status,
    requestHeader: reader(request.headers),
    responseHeader: reader(response?.headers),
  };
}
