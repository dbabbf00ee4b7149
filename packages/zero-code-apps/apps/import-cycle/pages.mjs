import { layout } from './layout.mjs';

export const SITE_NAME = 'Acme Tea';

export function renderPage(name) {
  return layout(`<h1>${name}</h1>`);
}
