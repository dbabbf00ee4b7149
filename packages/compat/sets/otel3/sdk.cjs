'use strict';
// How an application on the OpenTelemetry SDK 3.x line registers a tracer provider:
// `@opentelemetry/sdk-trace` replaces sdk-trace-base and sdk-trace-node, its `TracerProvider` has no
// `register()` (the context manager and the propagator are set through the API), and
// `SimpleSpanProcessor` takes `{ exporter }`.
const api = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} = require('@opentelemetry/core');
const {
  AlwaysOffSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} = require('@opentelemetry/sdk-trace');

/** @type {import('../sdk').StartProvider} */
exports.startProvider = ({ spanProcessor, exporter, sampler }) => {
  const provider = new TracerProvider({
    spanProcessors: [spanProcessor, new SimpleSpanProcessor({ exporter })],
    ...(sampler === undefined ? {} : { sampler }),
  });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  api.trace.setGlobalTracerProvider(provider);
  return provider;
};

exports.AlwaysOffSampler = AlwaysOffSampler;
exports.InMemorySpanExporter = InMemorySpanExporter;

/** @type {import('../sdk').ImportHere} */
exports.importHere = (specifier) => import(specifier);
