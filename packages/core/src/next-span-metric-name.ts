import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/**
 * What each kind of Next.js span (its `next.span_type` attribute) stands for in the header: the parts of
 * a request a Next.js user can act on. `null`: plumbing (loading and preparing route modules, finding
 * components, starting the response), left out like connection plumbing. Next.js adds span types from
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
 * The metric of a span Next.js made (one with a `next.span_type` attribute): `render`, `handler`,
 * `middleware` or `data`, or `null` to leave it out. `undefined` for any span Next.js did not make.
 */
export function nextSpanMetricName(span: ReadableSpan): string | null | undefined {
  const spanType = span.attributes['next.span_type'];
  if (spanType === undefined) return undefined;
  return typeof spanType === 'string' && Object.hasOwn(NEXT_SPAN_METRICS, spanType)
    ? (NEXT_SPAN_METRICS[spanType] as string)
    : null;
}
