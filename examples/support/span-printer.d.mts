// Types of span-printer.mjs, for the TypeScript examples (NestJS).
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

export function exportSpanProcessors(): SpanProcessor[];
