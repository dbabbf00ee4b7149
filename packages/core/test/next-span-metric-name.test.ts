import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { defaultSpanMetricName } from '../src/span-metric-name.js';
import { childSpan, createTracing, exportedRoot, startRequest } from './sdk.js';

const T0 = Date.now();

/** Spans as Next.js 16 makes them under `next start` (names and attributes as it exported them). */
const NEXT_SPANS: [name: string, spanType: string, metric: string | null][] = [
  ['render route (app) /products', 'AppRender.getBodyResult', 'render'],
  ['build component tree', 'NextNodeServer.createComponentTree', 'render'],
  ['resolve segment modules', 'NextNodeServer.getLayoutOrPageModule', 'render'],
  ['NextNodeServer.clientComponentLoading', 'NextNodeServer.clientComponentLoading', 'render'],
  ['render route (pages) /legacy', 'Render.renderDocument', 'render'],
  ['executing api route (app) /api/products', 'AppRouteRouteHandlers.runHandler', 'handler'],
  ['executing api route (pages) /api/legacy', 'Node.runHandler', 'handler'],
  ['middleware GET', 'Middleware.execute', 'middleware'],
  ['getServerSideProps /legacy', 'Render.getServerSideProps', 'data'],
  ['generateMetadata /products', 'ResolveMetadata.generateMetadata', 'data'],
  ['load route module', 'LoadComponents.loadRouteModule', null],
  ['resolve page components', 'NextNodeServer.findPageComponents', null],
  ['prepare route module', 'RouteModule.prepare', null],
  ['load app route module', 'AppRouteRouteModule.loadUserland', null],
  ['start response', 'NextNodeServer.startResponse', null],
  ['some future span', 'SomethingNew.inNext17', null],
];

describe('Next.js spans', () => {
  it.each(NEXT_SPANS)('%s (%s) → %s', (name, spanType, metric) => {
    const { tracer, exporter } = createTracing();
    const { ctx } = startRequest(tracer);
    childSpan(tracer, ctx, name, T0, T0 + 1, { 'next.span_type': spanType, 'next.span_category': 'nextjs' });
    const span = exporter.getFinishedSpans().find((each) => each.name === name);
    expect(span && defaultSpanMetricName(span)).toBe(metric);
  });

  it('become a few metrics in the header, with the database beside them', () => {
    const { processor, tracer } = createTracing();
    const { ctx } = startRequest(tracer);
    for (const [name, spanType] of NEXT_SPANS)
      childSpan(tracer, ctx, name, T0, T0 + 2, { 'next.span_type': spanType });
    childSpan(
      tracer,
      ctx,
      'pg.query:SELECT postgres',
      T0,
      T0 + 1,
      { 'db.system.name': 'postgresql' },
      SpanKind.CLIENT,
    );
    const names = processor
      .header(ctx)
      .split(', ')
      .map((entry) => entry.split(';')[0]);
    expect(names).toEqual(['render', 'handler', 'middleware', 'data', 'postgresql', 'total', 'traceparent']);
  });

  it('leaves Next’s own SERVER span to be the request root', () => {
    const { tracer, exporter } = createTracing();
    const root = tracer.startSpan('GET /products', {
      kind: SpanKind.SERVER,
      attributes: { 'next.span_type': 'BaseServer.handleRequest' },
    });
    root.end();
    const exported = exportedRoot(exporter);
    expect(exported && defaultSpanMetricName(exported)).toBeNull();
  });
});
