import type { Span } from '@opentelemetry/api';

/**
 * Who is told of each span that opens a request record. A `Symbol.for` key on `globalThis`, so that the
 * listener of one copy of this package (the node package's, bundled by a framework into its own chunk)
 * hears the processor of another.
 */
const LISTENERS = Symbol.for('@otel-server-timing/core.requestRootListeners');

type Listeners = { [LISTENERS]?: ((root: Span) => void)[] };

/**
 * Calls `listener` with every span that opens a request record (a request's root span), synchronously
 * where it starts, so in the asynchronous flow of the request it belongs to. For writers that meet the
 * request before its span exists (a server whose framework starts the span itself). Returns a function
 * that removes the listener.
 */
export function onRequestRoot(listener: (root: Span) => void): () => void {
  const registry = globalThis as Listeners;
  registry[LISTENERS] = [...(registry[LISTENERS] ?? []), listener];
  return () => {
    registry[LISTENERS] = registry[LISTENERS]?.filter((each) => each !== listener);
  };
}

/** Tells the listeners of {@link onRequestRoot} that `root` opened a request. Never throws. */
export function announceRequestRoot(root: Span): void {
  const listeners = (globalThis as Listeners)[LISTENERS];
  if (listeners === undefined) return;
  for (const listener of listeners) {
    try {
      listener(root);
    } catch {
      // A listener's failure must not break span creation.
    }
  }
}
