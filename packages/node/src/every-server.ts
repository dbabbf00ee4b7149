import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Context, context, ROOT_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { onRequestRoot } from '@otel-server-timing/core';
import { AdapterServerTiming } from './adapter-server-timing.js';
import type { NodeServerTimingOptions } from './types.js';

const OWNER = '@otel-server-timing/node instrumentEveryServer';

/** Published by `node:http` (Node >= 20) for each request, before the server's `'request'` listeners run. */
const REQUEST_START = 'http.server.request.start';

type RequestStart = { request: IncomingMessage; response: ServerResponse };

/**
 * One request as its asynchronous flow knows it: once started, a context holding the root span that
 * opened its record (made once, since the header, trailer and `skip()` all read it).
 */
type RequestSlot = { rootContext: Context | undefined; attached: boolean };

/**
 * The request the current asynchronous flow serves: entered when the request starts, so that everything
 * the server's handler does for it (and nothing done for another request) carries it.
 */
const requestFlow = new AsyncLocalStorage<RequestSlot>();

/**
 * Gives the request of the current flow the first request root span started in it. Returns `true` when
 * it did and the request's response is attached.
 */
function rememberRoot(root: Span): boolean {
  const slot = requestFlow.getStore();
  if (slot === undefined || slot.rootContext !== undefined) return false;
  slot.rootContext = trace.setSpan(ROOT_CONTEXT, root);
  return slot.attached;
}

/**
 * The context of a request whose span the framework starts after the request arrived (Next.js starts its
 * own `SERVER` span inside its handler, and may write the response after leaving it): the root span
 * started in the request's flow. Without one (no processor opened a record: not sampled), the context
 * active when the header is written, if that is in the request's own flow; never another request's.
 */
class RequestFlowContext implements Context {
  readonly #slot: RequestSlot;

  constructor(slot: RequestSlot) {
    this.#slot = slot;
  }

  getValue(key: symbol): unknown {
    const rootContext = this.#slot.rootContext;
    if (rootContext !== undefined) return rootContext.getValue(key);
    return requestFlow.getStore() === this.#slot ? context.active().getValue(key) : undefined;
  }

  setValue(key: symbol, value: unknown): Context {
    return context.active().setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    return context.active().deleteValue(key);
  }
}

/**
 * Attaches Server-Timing to every response of every `node:http` and `node:https` server of the process,
 * including servers a framework creates where the application cannot reach them (`next start`). Listens
 * to Node's `http.server.request.start` diagnostics channel; creates no span. The request's span is the first
 * request root started in the request's asynchronous flow, so it works with the framework's own server
 * span (Next.js) as well as with instrumentation-http's. Beside instrumentation-http's `serverTimingResponseHook`, an
 * adapter or `withServerTiming`, a response still carries one header: the hook and an adapter share one
 * handle, `withServerTiming` writes its value on the Web `Response` and this adds what finished after it,
 * and the processor hands out `total` and the trace context once. Returns a function that stops it.
 */
export function instrumentEveryServer(options?: NodeServerTimingOptions): () => void {
  const timing = new AdapterServerTiming(options, { owner: OWNER, automatic: true });
  const onRequestStart = (message: unknown): void => {
    const { request, response } = message as RequestStart;
    const slot: RequestSlot = { rootContext: undefined, attached: false };
    requestFlow.enterWith(slot);
    slot.attached = timing.attach(request, request, response, new RequestFlowContext(slot)) !== undefined;
  };
  // The root is known only now: a Fetch-API writer in the request (a Next.js route handler wrapped in
  // withServerTiming) must leave the request recorded for this response's header.
  const stopListening = onRequestRoot((root) => {
    if (rememberRoot(root)) timing.expectLaterWriter(root);
  });
  diagnosticsChannel.subscribe(REQUEST_START, onRequestStart);
  return () => {
    diagnosticsChannel.unsubscribe(REQUEST_START, onRequestStart);
    stopListening();
  };
}
