import type { Instrumentation } from '@opentelemetry/instrumentation';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startDownstream } from './downstream.js';
import { startTracing, type Tracing } from './tracing.js';

/** What one adapter test file shares: the SDK, the downstream service and the framework majors. */
export type AdapterSuite<TFramework> = {
  tracing: Tracing;
  /** URL of the downstream service (see `startDownstream`). */
  downstreamUrl: string;
  /** Each framework major, by name (`'express 5'`), loaded after the instrumentations. */
  majors: Record<string, TFramework>;
  /** Closes `close` after the current test. */
  afterTest(close: () => Promise<void>): void;
};

/**
 * Registers the hooks of an adapter test file: before all tests the SDK with instrumentation-http and
 * `frameworkInstrumentation` (none for an entry point that no framework instrumentation covers), then `loadMajors` (which must `require` each framework by its real name,
 * so require-in-the-middle patches it), and the downstream service; after each test it closes what the
 * test opened and clears the exported spans; after all it shuts everything down. The returned object is
 * filled in before the first test runs.
 */
export function setUpAdapterSuite<TFramework>(
  frameworkInstrumentation: Instrumentation | undefined,
  loadMajors: () => Record<string, TFramework>,
): AdapterSuite<TFramework> {
  const closers: (() => Promise<void>)[] = [];
  let closeDownstream: () => Promise<void> = async () => {};
  // `tracing` is set in `beforeAll`, before any test reads it.
  const suite = {
    majors: {},
    downstreamUrl: '',
    afterTest(close: () => Promise<void>) {
      closers.push(close);
    },
  } as AdapterSuite<TFramework>;
  beforeAll(async () => {
    suite.tracing = startTracing(frameworkInstrumentation === undefined ? [] : [frameworkInstrumentation]);
    suite.majors = loadMajors();
    const downstream = await startDownstream();
    suite.downstreamUrl = downstream.url;
    closeDownstream = downstream.close;
  });
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
    suite.tracing.exporter.reset();
  });
  afterAll(async () => {
    await closeDownstream();
    await suite.tracing.shutdown();
  });
  return suite;
}
