import {
  type Attributes,
  type Context,
  diag,
  type Exception,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';

/** Methods the HTTP semantic conventions name as they are; any other becomes `_OTHER`. */
const KNOWN_METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
  'QUERY',
]);

const headersGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};

/** The method as span names carry it: itself when the conventions know it, else `HTTP`. */
function spanMethod(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'HTTP';
}

/**
 * Starts a `SERVER` span for a request that no instrumentation covered, under the trace context its
 * headers carry (read with the registered propagator), with the HTTP semantic-convention attributes known
 * before the handler runs. Returns the context to run the rest of the request in.
 */
export function startServerSpan(tracer: Tracer, request: Request, active: Context): Context {
  const parent = propagation.extract(active, request.headers, headersGetter);
  const method = request.method;
  const url = new URL(request.url);
  const attributes: Attributes = {
    'http.request.method': KNOWN_METHODS.has(method) ? method : '_OTHER',
    'url.scheme': url.protocol.slice(0, -1),
    'url.path': url.pathname,
    'server.address': url.hostname,
  };
  if (!KNOWN_METHODS.has(method)) attributes['http.request.method_original'] = method;
  if (url.port !== '') attributes['server.port'] = Number(url.port);
  const userAgent = request.headers.get('user-agent');
  if (userAgent !== null) attributes['user_agent.original'] = userAgent;
  const span = tracer.startSpan(spanMethod(method), { kind: SpanKind.SERVER, attributes }, parent);
  return trace.setSpan(parent, span);
}

/**
 * Ends a span started by {@link startServerSpan}: names it `<METHOD> <route>` when the route is known,
 * records the status code and any error the handler threw, and marks the span failed for a 5xx status or
 * an error with no response (a 4xx is the client's error, not the server's). Never throws.
 */
export function endServerSpan(
  span: Span,
  method: string,
  status: number | undefined,
  route: string | undefined,
  error: unknown,
  owner: string,
): void {
  try {
    if (route !== undefined && route !== '') {
      span.setAttribute('http.route', route);
      span.updateName(`${spanMethod(method)} ${route}`);
    }
    if (status !== undefined && status > 0) span.setAttribute('http.response.status_code', status);
    const failed = status === undefined || status >= 500;
    if (error !== undefined && error !== null) {
      span.recordException(error instanceof Error ? error : (String(error) as Exception));
      if (failed) {
        span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    } else if (failed && status !== undefined) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  } catch (failure) {
    diag.error(`${owner}: could not complete the server span`, failure);
  } finally {
    span.end();
  }
}
