import { expectProductsTiming, useExample } from '@otel-server-timing/example-support/testing';
import { expect, it } from 'vitest';

const example = useExample(new URL('..', import.meta.url), ['--import', './tracing.mjs', 'app.mjs']);

it('answers with Server-Timing built from the request’s spans', async () => {
  const { byName } = await expectProductsTiming(example());
  // instrumentation-http alone knows no Hono routes or middleware: only the child spans become metrics.
  expect(Object.keys(byName)).toEqual(['postgresql', 'http', 'cache', 'total', 'traceparent']);
});
