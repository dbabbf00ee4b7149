import { expectProductsTiming, useExample } from '@otel-server-timing/example-support/testing';
import { expect, it } from 'vitest';

const example = useExample(new URL('..', import.meta.url), ['--import', './tracing.mjs', 'app.mjs']);

it('answers with Server-Timing built from the request’s spans', async () => {
  const { byName } = await expectProductsTiming(example());
  // instrumentation-koa's router span (with what runs after it); the adapter's own middleware span is left out.
  expect(byName.middleware?.description).toBe('middleware - route');
});
