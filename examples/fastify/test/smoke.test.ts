import { expectProductsTiming, useExample } from '@otel-server-timing/example-support/testing';
import { expect, it } from 'vitest';

const example = useExample(new URL('..', import.meta.url), ['--import', './tracing.mjs', 'app.mjs']);

it('answers with Server-Timing built from the request’s spans', async () => {
  const { byName } = await expectProductsTiming(example());
  expect(byName.handler?.description).toMatch(/^handler - /);
  // @fastify/otel times every hook, but the adapter's own is left out: it would only time this library.
  expect(byName.middleware).toBeUndefined();
});
