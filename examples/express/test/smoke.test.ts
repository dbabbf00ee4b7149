import { expectProductsTiming, useExample } from '@otel-server-timing/example-support/testing';
import { expect, it } from 'vitest';

const example = useExample(new URL('..', import.meta.url), ['--import', './tracing.mjs', 'app.mjs']);

it('answers with Server-Timing built from the request’s spans, and prints the spans', async () => {
  const { byName, traceContext } = await expectProductsTiming(example());
  // The only middleware is the adapter itself, which instrumentation-express is told to ignore.
  expect(byName.middleware).toBeUndefined();
  expect(example().output()).toContain(`trace ${traceContext?.traceId.slice(0, 8)}`);
  expect(example().output()).not.toContain('serverTimingMiddleware');
});
