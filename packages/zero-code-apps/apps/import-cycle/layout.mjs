// pages.mjs imports this module and this module imports pages.mjs: a cycle, valid because SITE_NAME is
// only read when layout() runs, after both modules have been evaluated.
import { SITE_NAME } from './pages.mjs';

export function layout(body) {
  return `<title>${SITE_NAME}</title>${body}`;
}
