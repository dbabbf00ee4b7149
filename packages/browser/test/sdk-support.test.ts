import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { BasicTracerProvider as BasicTracerProviderWithoutOnEnding } from 'sdk-trace-base-2.2';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerTimingLinkProcessor } from '../src/otel.js';

const warnings: string[] = [];
const logger: DiagLogger = {
  error: () => {},
  warn: (message) => warnings.push(message),
  info: () => {},
  debug: () => {},
  verbose: () => {},
};

afterEach(() => {
  diag.disable();
  warnings.length = 0;
});

async function endTwoSpans(Provider: typeof BasicTracerProvider): Promise<void> {
  diag.setLogger(logger, DiagLogLevel.WARN);
  const provider = new Provider({ spanProcessors: [new ServerTimingLinkProcessor()] });
  const tracer = provider.getTracer('sdk-support');
  tracer.startSpan('first').end();
  tracer.startSpan('second').end();
  await provider.shutdown();
}

describe('SDK support', () => {
  it('runs quietly on an SDK that calls onEnding (2.3 and later)', async () => {
    await endTwoSpans(BasicTracerProvider);
    expect(warnings).toEqual([]);
  });

  it('warns once on an SDK without onEnding (2.2), where it cannot link', async () => {
    await endTwoSpans(BasicTracerProviderWithoutOnEnding as unknown as typeof BasicTracerProvider);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/does not call SpanProcessor\.onEnding.*sdk-trace-base 2\.3\.0/);
  });
});
