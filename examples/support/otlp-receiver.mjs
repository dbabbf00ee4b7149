// For the smoke tests: a local OTLP/HTTP receiver (JSON encoding) on 127.0.0.1 that keeps every span it is
// sent, so a test can compare a response's header with the spans the application really exported.
import http from 'node:http';

/** Attributes as OTLP JSON carries them (`[{ key, value: { stringValue | intValue | … } }]`), as an object. */
function attributesOf(list = []) {
  return Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value ?? {})[0]]));
}

/**
 * Starts the receiver on a free port. `endpoint` goes into `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`; `spans`
 * fills as exports arrive (`{ traceId, spanId, parentSpanId, name, kind, attributes }`); `close()` stops it.
 */
export async function startOtlpReceiver() {
  const spans = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      try {
        for (const resource of JSON.parse(body).resourceSpans ?? []) {
          for (const scope of resource.scopeSpans ?? []) {
            for (const span of scope.spans ?? [])
              spans.push({ ...span, attributes: attributesOf(span.attributes) });
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}/v1/traces`,
    spans,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
