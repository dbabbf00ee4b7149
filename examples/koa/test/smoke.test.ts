import { expectProductsTiming, useExample } from '@otel-server-timing/example-support/testing';
import { expect, it } from 'vitest';

const example = useExample(new URL('..', import.meta.url), ['--import', './tracing.mjs', 'app.mjs']);

it('answers with Server-Timing built from the request’s spans', async () => {
  const { byName } = await expectProductsTiming(example());
  // instrumentation-koa's spans: the serverTiming middleware and the router, each with what runs after it.
  expect(byName.middleware?.description).toBe('2 spans');
});
