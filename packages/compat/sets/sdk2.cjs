'use strict';
// How an application on the OpenTelemetry SDK 2.x line registers a tracer provider: a NodeTracerProvider
// with the processors passed to its constructor, and `register()` for the AsyncLocalStorage context
// manager and the W3C propagators. Shared by the SDK 2.x sets; each passes its own `require`, so the SDK
// (and the API it uses) come from that set's folder.

/** @param {NodeJS.Require} requireFromSet @returns {Omit<import('./sdk').Sdk, 'importHere'>} */
module.exports = (requireFromSet) => {
  const { AlwaysOffSampler, InMemorySpanExporter, SimpleSpanProcessor } = requireFromSet(
    '@opentelemetry/sdk-trace-base',
  );
  const { NodeTracerProvider } = requireFromSet('@opentelemetry/sdk-trace-node');
  return {
    startProvider({ spanProcessor, exporter, sampler }) {
      const provider = new NodeTracerProvider({
        spanProcessors: [spanProcessor, new SimpleSpanProcessor(exporter)],
        ...(sampler === undefined ? {} : { sampler }),
      });
      provider.register();
      return provider;
    },
    AlwaysOffSampler,
    InMemorySpanExporter,
  };
};
