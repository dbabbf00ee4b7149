import type { Span } from '@opentelemetry/api';

/**
 * Who is told of each span that opens a request record. A `Symbol.for` key on `globalThis`, so that the
 * listener of one copy of this package (the node package's, bundled by a framework into its own chunk)
 * hears the processor of another. Versioned: the value is this file's registry object.
 */
const LISTENERS = Symbol.for('@otel-server-timing/core.request-root-listeners/v1');

type Listener = (root: Span) => void;
type Registry = { listeners: readonly Listener[] };

/** The one registry of this process, made by whichever copy of this package ran first. */
const registry: Registry = /* @__PURE__ */ (() => {
  const global = globalThis as { [LISTENERS]?: Registry };
  global[LISTENERS] ??= { listeners: [] };
  return global[LISTENERS];
})();

/**
 * Calls `listener` with every span that opens a request record (a request's root span), synchronously
 * where it starts, so in the asynchronous flow of the request it belongs to. For writers that meet the
 * request before its span exists (a server whose framework starts the span itself). Returns a function
 * that removes the listener.
 */
export function onRequestRoot(listener: Listener): () => void {
  registry.listeners = [...registry.listeners, listener];
  return () => {
    registry.listeners = registry.listeners.filter((each) => each !== listener);
  };
}

/** Tells the listeners of {@link onRequestRoot} that `root` opened a request. Never throws. */
export function announceRequestRoot(root: Span): void {
  const listeners = registry.listeners;
  for (let index = 0; index < listeners.length; index++) {
    const listener = listeners[index] as Listener;
    try {
      listener(root);
    } catch {
      // A listener's failure must not break span creation.
    }
  }
}
