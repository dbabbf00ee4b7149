// A local OTLP/HTTP trace receiver (JSON encoding), for tests whose application exports its spans from
// another process: the zero-code entry, the conformance corpus, the Next.js example.
import { createServer } from 'node:http';
import type { AttributeValue, HrTime, SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { closeServer, listen } from './listen.js';

type OtlpValue = {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
};

type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: { key: string; value: OtlpValue }[];
};

type OtlpRequest = {
  resourceSpans?: {
    resource?: { attributes?: { key: string }[] };
    scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[];
  }[];
};

/** A span as the receiver got it: the OTLP/JSON fields, attributes as an object, scope and resource keys. */
export type ReceivedSpan = Omit<OtlpSpan, 'attributes'> & {
  attributes: Record<string, AttributeValue | undefined>;
  /** The name of the instrumentation scope (tracer) that made it. */
  scope: string;
  /** The attribute keys of the resource it was exported with. */
  resourceKeys: string[];
};

/** The path the SDK's OTLP/HTTP trace exporter posts to; anything else is answered and ignored. */
const TRACES_PATH = '/v1/traces';

function attributeValue(value: OtlpValue): AttributeValue | undefined {
  return (
    value.stringValue ??
    value.boolValue ??
    value.doubleValue ??
    (value.intValue === undefined ? undefined : Number(value.intValue))
  );
}

function received(request: OtlpRequest): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const { resource, scopeSpans } of request.resourceSpans ?? []) {
    const resourceKeys = (resource?.attributes ?? []).map((attribute) => attribute.key);
    for (const { scope, spans: scopeSpanList } of scopeSpans ?? []) {
      for (const span of scopeSpanList ?? []) {
        const attributes = Object.fromEntries(
          (span.attributes ?? []).map(({ key, value }) => [key, attributeValue(value)]),
        );
        spans.push({ ...span, attributes, scope: scope?.name ?? '', resourceKeys });
      }
    }
  }
  return spans;
}

/**
 * Starts the receiver on 127.0.0.1, a free port. `endpoint` goes into `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`;
 * `spans` fills as exports arrive; a body that is not JSON is answered 400; `close()` stops it.
 */
export async function startOtlpReceiver(): Promise<{
  endpoint: string;
  spans: ReceivedSpan[];
  close(): Promise<void>;
}> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      if (request.url === TRACES_PATH) {
        try {
          spans.push(...received(JSON.parse(body) as OtlpRequest));
        } catch {
          response.writeHead(400).end();
          return;
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const origin = await listen(server);
  return { endpoint: `${origin}${TRACES_PATH}`, spans, close: () => closeServer(server) };
}

function hrTime(nanos: bigint): HrTime {
  return [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
}

/**
 * The fields of a received span that span arithmetic reads (`requestSpans`, `unionOfSpans`, the default
 * mapping), as a `ReadableSpan`. A parent is taken to be in the same process: the request's own root
 * carries no parent when the test's request carries no `traceparent`.
 */
export function toReadableSpan(span: ReceivedSpan): ReadableSpan {
  const start = BigInt(span.startTimeUnixNano);
  const end = BigInt(span.endTimeUnixNano);
  const context = { traceId: span.traceId, spanId: span.spanId, traceFlags: 1 };
  return {
    name: span.name,
    kind: (span.kind - 1) as SpanKind,
    spanContext: () => context,
    parentSpanContext:
      span.parentSpanId === undefined || span.parentSpanId === ''
        ? undefined
        : { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: 1, isRemote: false },
    startTime: hrTime(start),
    endTime: hrTime(end),
    duration: hrTime(end - start),
    attributes: span.attributes,
    instrumentationScope: { name: span.scope },
  } as unknown as ReadableSpan;
}
