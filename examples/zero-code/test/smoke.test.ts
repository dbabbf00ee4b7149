import { expectProductsTiming, useExample } from '@otel-server-timing/example-support/testing';
import { expect, it } from 'vitest';

const example = useExample(
  new URL('..', import.meta.url),
  ['--import', '@otel-server-timing/node/register', 'app.mjs'],
  // No exporters: nothing leaves the machine. (With the default OTLP metrics exporter and no collector,
  // the SDK's flush on SIGTERM takes seconds to give up.) Resource detectors at their default.
  { env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' } },
);

it('answers with Server-Timing with no tracing code in the app', async () => {
  const { byName, traceContext } = await expectProductsTiming(example());
  expect(traceContext?.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(Object.keys(byName)).toEqual(['postgresql', 'http', 'cache', 'total', 'traceparent']);
});

it('prints no warning at start with the default settings (no cloud metadata probe)', () => {
  expect(example().output()).not.toMatch(/warning/i);
});
