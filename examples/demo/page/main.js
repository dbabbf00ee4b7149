// The demo page: every navigation and /api/ response's Server-Timing, read with @otel-server-timing/browser
// (bundled by the demo server with esbuild), drawn as a card next to the browser's own timing.
import { observeServerTiming } from '@otel-server-timing/browser';
import { renderCard } from './card.js';

const traceUrl = document.querySelector('meta[name="trace-url"]')?.content ?? '';
const pageLoad = document.getElementById('page-load');
const apiCalls = document.getElementById('api-calls');
const drawn = new WeakSet();
let userClicked = false;

// Buffered: the page's own navigation entry, recorded before this script ran, is reported too.
observeServerTiming((timing, entry) => {
  // Chromium and Firefox hand a buffered observer the navigation entry twice (again at the load event).
  if (drawn.has(entry)) return;
  drawn.add(entry);
  if (entry.entryType === 'navigation') {
    pageLoad.append(renderCard(timing, entry, { title: 'Page load', traceUrl }));
  } else if (new URL(timing.url).pathname.startsWith('/api/')) {
    const card = renderCard(timing, entry, { title: 'fetch', traceUrl });
    apiCalls.append(card);
    if (userClicked) card.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }
});

/** The resource entry appears once the whole body has arrived, so read it. */
async function call(path) {
  const response = await fetch(path);
  await response.arrayBuffer();
}

for (const button of document.querySelectorAll('button[data-path]')) {
  button.addEventListener('click', () => {
    userClicked = true;
    void call(button.dataset.path);
  });
}
document.getElementById('clear').addEventListener('click', () => apiCalls.replaceChildren());

// Something to look at from the start, once the page has loaded: each route once, one after the other,
// and /api/cache a second time, which the browser answers from its cache.
if (document.readyState !== 'complete')
  await new Promise((resolve) => addEventListener('load', resolve, { once: true }));
for (const path of ['/api/products', '/api/slow', '/api/cache', '/api/cache']) await call(path);
