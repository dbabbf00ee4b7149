// The entry module exports the site's settings and renders pages; pages.mjs imports those settings back
// from here. A valid cycle: SITE_NAME is only read when renderPage() runs, after it is initialised.
import { renderPage } from './pages.mjs';

export const SITE_NAME = 'Acme Tea';

console.log(renderPage('home'));
console.log(renderPage('about'));
