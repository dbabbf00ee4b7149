// In-process cost of Server-Timing per response, without sockets: real ServerResponse objects, a server
// span with two children (the processor registered in both arms), setHeader + end. Arms alternate round
// by round; the difference of the medians is what attach + header + interception add to one response.
import http from 'node:http';
import { Socket } from 'node:net';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ServerTimingSpanProcessor } from '@otel-server-timing/core';
import { NodeServerTiming } from '../dist/index.js';

export function measureResponse({ rounds, responses }) {
  const provider = new NodeTracerProvider({ spanProcessors: [new ServerTimingSpanProcessor()] });
  const tracer = provider.getTracer('bench');
  const timing = new NodeServerTiming();
  const socket = new Socket();

  function respond(attach) {
    const request = new http.IncomingMessage(socket);
    request.method = 'GET';
    request.headers = {};
    const response = new http.ServerResponse(request);
    const root = tracer.startSpan('GET /users/:id', { kind: SpanKind.SERVER });
    if (attach) timing.attach(request, response, root);
    const ctx = trace.setSpan(context.active(), root);
    tracer.startSpan('SELECT users', { attributes: { 'db.system.name': 'postgresql' } }, ctx).end();
    tracer.startSpan('GET', { attributes: { 'http.request.method': 'GET' } }, ctx).end();
    response.setHeader('content-type', 'application/json');
    response.end('{"id":42}');
    root.end();
  }
  const perResponse = (attach) => {
    const start = process.hrtime.bigint();
    for (let index = 0; index < responses; index += 1) respond(attach);
    return Number(process.hrtime.bigint() - start) / responses;
  };
  perResponse(false);
  perResponse(true);
  const without = [];
  const withTiming = [];
  for (let round = 0; round < rounds; round += 1) {
    without.push(perResponse(false));
    withTiming.push(perResponse(true));
  }
  return { without, withTiming };
}
