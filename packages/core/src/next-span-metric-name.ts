import { layers, type SpanClass } from './span-class.js';
import type { SpanRule } from './span-rules.js';

/**
 * What each kind of Next.js span (its `next.span_type` attribute) stands for in the header: the parts of
 * a request a Next.js user can act on, as framework layers. Plumbing (loading and preparing route
 * modules, finding components, starting the response) is not listed. Next.js adds span types from
 * release to release; any type not listed is left out too, so no metric is ever named after one of
 * Next's internal span names.
 */
const NEXT_SPAN_METRICS: Readonly<Record<string, string>> = {
  // Rendering: App Router and Pages Router pages, their component trees and client component loading.
  'AppRender.getBodyResult': 'render',
  'AppRender.renderToReadableStream': 'render',
  'AppRender.renderToString': 'render',
  'Render.renderDocument': 'render',
  'Render.renderToString': 'render',
  'NextNodeServer.createComponentTree': 'render',
  'NextNodeServer.getLayoutOrPageModule': 'render',
  'NextNodeServer.clientComponentLoading': 'render',
  'NextNodeServer.renderHTML': 'render',
  // Route handlers (App Router) and API routes (Pages Router).
  'AppRouteRouteHandlers.runHandler': 'handler',
  'Node.runHandler': 'handler',
  // Middleware (`proxy` since Next.js 16).
  'Middleware.execute': 'middleware',
  // Data fetches Next.js itself runs for a page.
  'Render.getServerSideProps': 'data',
  'Render.getStaticProps': 'data',
  'ResolveMetadata.generateMetadata': 'data',
  'ResolveMetadata.generateViewport': 'data',
};

/**
 * The default mapping's rule for spans Next.js made (those with a `next.span_type` attribute): `render`,
 * `handler`, `middleware` or `data`, or `null` to leave one out; `undefined` for any other span.
 */
export const nextJsSpans: SpanRule = (_span, facts): SpanClass | null | undefined => {
  const spanType = facts.nextSpanType;
  if (spanType === undefined) return undefined;
  if (typeof spanType !== 'string' || !Object.hasOwn(NEXT_SPAN_METRICS, spanType)) return null;
  return layers.get(NEXT_SPAN_METRICS[spanType] as string);
};
