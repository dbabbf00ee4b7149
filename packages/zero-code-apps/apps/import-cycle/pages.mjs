import { SITE_NAME } from './main.mjs';

export function renderPage(name) {
  return `<title>${SITE_NAME}</title><h1>${name}</h1>`;
}
