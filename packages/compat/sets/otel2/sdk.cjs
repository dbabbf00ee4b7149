'use strict';
// How an application on the OpenTelemetry SDK 2.x line registers a tracer provider: a NodeTracerProvider
// with the processors passed to its constructor, and `register()` for the AsyncLocalStorage context
// manager and the W3C propagators.
const {
  AlwaysOffSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} = require('@opentelemetry/sdk-trace-base');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');

/** @type {import('../sdk').StartProvider} */
exports.startProvider = ({ spanProcessor, exporter, sampler }) => {
  const provider = new NodeTracerProvider({
    spanProcessors: [spanProcessor, new SimpleSpanProcessor(exporter)],
    ...(sampler === undefined ? {} : { sampler }),
  });
  provider.register();
  return provider;
};

exports.AlwaysOffSampler = AlwaysOffSampler;
exports.InMemorySpanExporter = InMemorySpanExporter;

/** @type {import('../sdk').ImportHere} */
exports.importHere = (specifier) => import(specifier);
