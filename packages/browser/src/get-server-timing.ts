import { readServerTiming } from './read-server-timing.js';
import type { ReadOptions, ServerTiming, TimingEntry } from './types.js';

function latestEntry(url: string): TimingEntry | undefined {
  const absolute = new URL(url, globalThis.document?.baseURI ?? location.href).href;
  const entries = performance.getEntriesByName(absolute) as TimingEntry[];
  for (let index = entries.length - 1; index >= 0; index--) {
    if ('responseEnd' in entries[index]!) return entries[index];
  }
  return undefined;
}

/**
 * The server timing of the page's navigation (no argument), of the latest request for a URL (relative URLs
 * resolve against the document), or of a given timing entry. `undefined` when there is no such entry (yet:
 * a fetch's entry appears once its body has arrived). `options`: see {@link readServerTiming}.
 */
export function getServerTiming(
  target?: string | URL | TimingEntry,
  options?: ReadOptions,
): ServerTiming | undefined {
  const entry =
    target === undefined
      ? (performance.getEntriesByType('navigation')[0] as TimingEntry | undefined)
      : typeof target === 'string' || target instanceof URL
        ? latestEntry(String(target))
        : target;
  return entry && readServerTiming(entry, options);
}
