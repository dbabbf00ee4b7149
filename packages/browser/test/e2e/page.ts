// Runs in the browser page of the end-to-end test: the OpenTelemetry web SDK with document-load and fetch
// instrumentation, this package's link processor, and an exporter that keeps finished spans on `window`.
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { type ReadableSpan, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { WebTracerProvider } from '@opentelemetry/sdk-trace-web';
import { ServerTimingLinkProcessor } from '../../dist/otel.js';

/** A finished span as the test reads it. */
export type PageSpan = {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  attributes: ReadableSpan['attributes'];
  links: { traceId: string; spanId: string; isRemote: boolean | undefined }[];
};

declare global {
  interface Window {
    /** Origin of the cross-origin API server, set by the page. */
    crossOrigin: string;
    finishedSpans: PageSpan[];
    fetched: boolean;
  }
}

window.finishedSpans = [];
const windowExporter: SpanExporter = {
  export(spans, done) {
    for (const span of spans) {
      window.finishedSpans.push({
        name: span.name,
        kind: span.kind,
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        attributes: span.attributes,
        links: span.links.map(({ context }) => ({
          traceId: context.traceId,
          spanId: context.spanId,
          isRemote: context.isRemote,
        })),
      });
    }
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
};

const provider = new WebTracerProvider({
  spanProcessors: [new ServerTimingLinkProcessor(), new SimpleSpanProcessor(windowExporter)],
});
provider.register();
registerInstrumentations({
  instrumentations: [new DocumentLoadInstrumentation(), new FetchInstrumentation()],
});

addEventListener('load', async () => {
  await Promise.all(
    ['/api/same-origin', `${window.crossOrigin}/api/cross-origin`].map(async (url) =>
      (await fetch(url)).json(),
    ),
  );
  window.fetched = true;
});
