import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createTracing } from './sdk.js';

const RECORD_KEY = '@otel-server-timing/core.record';

/** The processor's own property on `span` (its link), as `[present, value]`. */
function linkProperty(span: object): [boolean, unknown] {
  const key = Object.getOwnPropertySymbols(span).find((symbol) => symbol.description === RECORD_KEY);
  return key === undefined ? [false, undefined] : [true, (span as Record<symbol, unknown>)[key]];
}

describe('what the processor keeps on spans', () => {
  it('gives every span its property, undefined for spans of no request, so all spans share one layout', () => {
    const { tracer } = createTracing();
    const startUp = tracer.startSpan('connect', {}, ROOT_CONTEXT);
    const child = tracer.startSpan('query', {}, trace.setSpan(ROOT_CONTEXT, startUp));
    expect(linkProperty(startUp)).toEqual([true, undefined]);
    expect(linkProperty(child)).toEqual([true, undefined]);
    const root = tracer.startSpan('GET /', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
    const inRequest = tracer.startSpan('work', {}, trace.setSpan(ROOT_CONTEXT, root));
    expect(linkProperty(root)[1]).toBeDefined();
    expect(linkProperty(inRequest)[1]).toBeDefined();
    for (const span of [child, startUp, inRequest, root]) span.end();
  });
});
