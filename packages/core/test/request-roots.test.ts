import type { Span } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import { expect, it } from 'vitest';
import { onRequestRoot } from '../src/request-roots.js';
import { createTracing, startRequest } from './sdk.js';

it('tells listeners of each span that opens a request, where it starts, and stops when asked', () => {
  const { tracer } = createTracing();
  const heard: Span[] = [];
  const stop = onRequestRoot((root) => heard.push(root));
  const stopThrowing = onRequestRoot(() => {
    throw new Error('a broken listener');
  });
  const { root, ctx } = startRequest(tracer);
  tracer.startSpan('child', { kind: SpanKind.INTERNAL }, ctx).end();
  tracer.startSpan('not a request', { kind: SpanKind.INTERNAL }).end();
  expect(heard).toEqual([root]);
  stop();
  stopThrowing();
  startRequest(tracer);
  expect(heard).toEqual([root]);
});
