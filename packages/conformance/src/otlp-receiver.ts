import { createServer } from 'node:http';
import type { HrTime, SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { listen } from './serve.js';

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
  resourceSpans?: { scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[] }[];
};

function hrTime(nanos: bigint): HrTime {
  return [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
}

/**
 * The fields of an exported span that the corpus checks read, from its OTLP/JSON form. A parent within
 * the same batch of spans of the same process is local; the request's own root has a remote parent (the
 * test's request carries none, so it has no parent at all).
 */
function toReadableSpan(span: OtlpSpan, scope: string): ReadableSpan {
  const start = BigInt(span.startTimeUnixNano);
  const end = BigInt(span.endTimeUnixNano);
  const attributes = Object.fromEntries(
    (span.attributes ?? []).map(({ key, value }) => [
      key,
      value.stringValue ??
        value.boolValue ??
        value.doubleValue ??
        (value.intValue === undefined ? undefined : Number(value.intValue)),
    ]),
  );
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
    attributes,
    instrumentationScope: { name: scope },
  } as unknown as ReadableSpan;
}

/** A local OTLP/HTTP (JSON) trace receiver: what a collector would get from the service. */
export async function startOtlpReceiver(): Promise<{
  endpoint: string;
  spans: ReadableSpan[];
  close(): Promise<void>;
}> {
  const spans: ReadableSpan[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const exported = JSON.parse(body) as OtlpRequest;
      for (const resource of exported.resourceSpans ?? []) {
        for (const scope of resource.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) spans.push(toReadableSpan(span, scope.scope?.name ?? ''));
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const listening = await listen(server);
  return { endpoint: `${listening.origin}/v1/traces`, spans, close: listening.close };
}
