import { buildHeader, type HeaderParts } from '../src/header/build-header.js';

/**
 * The header built of `parts`; the parts not given are those of a request with nothing to say: no metrics,
 * no `total`, no trace context, descriptions on, within a budget of 1 KB and 16 metrics.
 */
export function builtHeader(parts: Partial<HeaderParts>): string {
  return buildHeader({
    groups: [],
    aggregation: 'union',
    metrics: undefined,
    total: undefined,
    traceContext: undefined,
    traceContextForm: 'traceparent',
    descriptions: true,
    maxBytes: 1024,
    maxMetrics: 16,
    ...parts,
  });
}
