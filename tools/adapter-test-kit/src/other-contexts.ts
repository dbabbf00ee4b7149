import { EventEmitter } from 'node:events';
import { SpanKind } from '@opentelemetry/api';
import { expect, it } from 'vitest';
import type { TimedResponse } from './client.js';
import { waitFor } from './poll.js';
import { type Served, send } from './served.js';
import type { AdapterSuite } from './suite.js';

/** Sends the response of the request being handled; callable from any async context. */
export type Respond = (body: string) => void;

/**
 * Starts an app with the adapter (defaults) whose every route calls `handler(path, respond)` and answers
 * only when `respond` is called, whenever and from wherever that is. Resolves with the origin or the
 * Fetch app (see `Served`).
 */
export type ServeRespondingLater = (handler: (path: string, respond: Respond) => void) => Promise<Served>;

const STEP = /^step-/;

/** The `step-…` metric names of a response. */
function steps(response: TimedResponse): string[] {
  return response.metrics.filter((entry) => STEP.test(entry.name)).map((entry) => entry.name);
}

/** Waits until `count` callers are waiting (polled: the callers come in any order). */
function until(waiting: () => number, count: number): Promise<boolean> {
  return waitFor(`${count} waiting requests`, () => waiting() >= count);
}

/**
 * Responses written from another request's async context: a request whose response is sent by a
 * listener of a shared event emitter that another request fires, and requests answered by a batched
 * loader that runs in the context of whichever request started the batch. Each response must carry only
 * its own request's timings and name its own trace, whichever request's context wrote it.
 */
export function testResponsesFromOtherContexts(
  suite: AdapterSuite<unknown>,
  serve: () => ServeRespondingLater,
): void {
  it('gives a response sent from another request’s event listener only its own timings', async () => {
    const { tracer } = suite.tracing;
    const hub = new EventEmitter();
    const origin = await serve()((path, respond) => {
      const name = path.slice(1); // "waiter" or "firer"
      tracer.startSpan(`step-${name}`).end();
      if (name === 'waiter') {
        // Registered here, called from the firer's handler: runs in the firer's context.
        hub.once('go', () => respond(name));
        return;
      }
      tracer.startSpan(`step-${name}-before-firing`).end();
      hub.emit('go');
      respond(name);
    });
    const waiter = send(origin, '/waiter');
    await until(() => hub.listenerCount('go'), 1);
    const firer = await send(origin, '/firer');
    const waited = await waiter;
    expect(waited.body).toBe('waiter');
    expect(steps(waited)).toEqual(['step-waiter']);
    expect(steps(firer).sort()).toEqual(['step-firer', 'step-firer-before-firing']);
    expectOwnTraces([waited, firer], suite);
  });

  it('gives responses answered by a batched loader only their own timings', async () => {
    const { tracer } = suite.tracing;
    const queue: Respond[] = [];
    let names: string[] = [];
    const origin = await serve()((path, respond) => {
      const name = path.slice(1);
      tracer.startSpan(`step-${name}`).end();
      queue.push(respond);
      names.push(name);
      if (queue.length === 1) {
        // The batch runs in the context of the request that started it, once all three are queued (not
        // after a fixed delay, which a busy machine can outlast, splitting the batch), and answers them all.
        void until(() => queue.length, 3).then(() => {
          tracer.startSpan('step-batch', { kind: SpanKind.CLIENT }).end();
          const batch = queue.splice(0);
          const batchNames = names;
          names = [];
          batch.forEach((send, index) => {
            send(batchNames[index] as string);
          });
        });
      }
    });
    const responses = await Promise.all(['one', 'two', 'three'].map((name) => send(origin, `/${name}`)));
    for (const response of responses) {
      const own = `step-${response.body}`;
      // The request whose context ran the batch may also show its span; no other request's.
      expect(steps(response).filter((name) => name !== 'step-batch')).toEqual([own]);
    }
    expect(responses.filter((response) => steps(response).includes('step-batch')).length).toBeLessThan(2);
    expectOwnTraces(responses, suite);
  });
}

/** Every response names its own trace: as many distinct traces as responses, each exported as SERVER. */
function expectOwnTraces(responses: TimedResponse[], suite: AdapterSuite<unknown>): void {
  const servers = new Set(
    suite.tracing.exporter
      .getFinishedSpans()
      .filter((span) => span.kind === SpanKind.SERVER)
      .map((span) => span.spanContext().spanId),
  );
  const named = responses.map((response) => response.traceContext?.spanId);
  expect(new Set(named).size).toBe(responses.length);
  for (const spanId of named) expect(servers.has(spanId as string)).toBe(true);
}
