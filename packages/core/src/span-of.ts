import { type Context, type Span, trace } from '@opentelemetry/api';
import type { RequestTarget } from './types.js';

/** The span a target points at: the target itself when it is a span, else the span active in the context. */
export function spanOf(target: RequestTarget | undefined): Span | undefined {
  if (target === undefined || target === null) return undefined;
  if (typeof (target as Span).spanContext === 'function') return target as Span;
  return trace.getSpan(target as Context);
}
