import http from 'node:http';
import { listen } from './telemetry.js';

/** A span as OTLP/HTTP JSON carries it (ids in hex), with its resource's attribute keys. */
export type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  resourceKeys: string[];
};

type OtlpRequest = {
  resourceSpans?: {
    resource?: { attributes?: { key: string }[] };
    scopeSpans?: { spans?: Omit<OtlpSpan, 'resourceKeys'>[] }[];
  }[];
};

/** A local OTLP/HTTP receiver (JSON encoding) on 127.0.0.1 that keeps every span it is sent. */
export async function startOtlpReceiver() {
  const spans: OtlpSpan[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body) as OtlpRequest;
        for (const { resource, scopeSpans } of payload.resourceSpans ?? []) {
          const resourceKeys = (resource?.attributes ?? []).map((attribute) => attribute.key);
          for (const scope of scopeSpans ?? []) {
            for (const span of scope.spans ?? []) spans.push({ ...span, resourceKeys });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const origin = await listen(server);
  return {
    endpoint: `${origin}/v1/traces`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
