import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { RequestRecord } from '../src/request-record.js';
import { layers } from '../src/span-class.js';
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

describe('what a layer keeps once its own time is settled', () => {
  const settings = { aggregation: 'union', selfTime: true } as const;
  const rootOf = () => createTracing().tracer.startSpan('GET /', { kind: SpanKind.SERVER });

  it('lets go of its group when a header settles it, leaving the group its own time', () => {
    const record = new RequestRecord(rootOf(), 0, settings);
    const layer = record.newLayer(undefined, layers.get('handler'));
    layer.covered = 4;
    layer.duration = 10;
    layer.ended = true;
    layer.group = record.add('handler', 'GET /', 0, 10, 'layer');
    const [group] = record.takeGroups();
    record.settleLayers();
    expect(layer.group).toBeUndefined();
    expect(group?.duration('union')).toBe(6);
  });

  it('lets go of its group when the request closes before a header settled it', () => {
    const record = new RequestRecord(rootOf(), 0, settings);
    const layer = record.newLayer(undefined, layers.get('handler'));
    layer.ended = true;
    layer.group = record.add('handler', 'GET /', 0, 10, 'layer');
    record.close();
    expect(layer.group).toBeUndefined();
  });
});
