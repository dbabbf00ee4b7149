// Where the examples' spans go: one readable line per span on the console, and to an OTLP/HTTP endpoint
// (a collector, Jaeger, Tempo…) when OTEL_EXPORTER_OTLP_ENDPOINT is set. OTEL_TRACES_EXPORTER=none
// prints nothing.
import { SpanKind } from '@opentelemetry/api';
import { ExportResultCode, hrTimeToMilliseconds } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Attributes worth a glance, in the order they are printed. */
const SHOWN_ATTRIBUTES = ['db.system.name', 'http.route', 'url.full', 'http.response.status_code'];

/** Formats a finished span as one line: duration, kind, name, trace and span ids, a few attributes. */
export function formatSpanLine(span) {
  const duration = `${hrTimeToMilliseconds(span.duration).toFixed(1)} ms`.padStart(9);
  const kind = SpanKind[span.kind].padEnd(8);
  const { traceId, spanId } = span.spanContext();
  const parent = span.parentSpanContext;
  const lineage = parent === undefined || parent.isRemote ? 'root' : `in ${parent.spanId.slice(0, 8)}`;
  const details = SHOWN_ATTRIBUTES.filter((key) => span.attributes[key] !== undefined)
    .map((key) => `${key}=${span.attributes[key]}`)
    .join(' ');
  return `span ${duration}  ${kind} ${span.name.padEnd(36)} trace ${traceId.slice(0, 8)} span ${spanId.slice(0, 8)} ${lineage.padEnd(11)} ${details}`.trimEnd();
}

/** A `SpanExporter` that prints {@link formatSpanLine} lines to stdout. */
export class SpanLinePrinter {
  export(spans, resultCallback) {
    for (const span of spans) process.stdout.write(`${formatSpanLine(span)}\n`);
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  shutdown() {
    return Promise.resolve();
  }
}

/** The export side of the examples' span processors (the ServerTimingSpanProcessor goes beside them). */
export function exportSpanProcessors() {
  const processors = [];
  if (process.env.OTEL_TRACES_EXPORTER !== 'none')
    processors.push(new SimpleSpanProcessor(new SpanLinePrinter()));
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT)
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  return processors;
}
