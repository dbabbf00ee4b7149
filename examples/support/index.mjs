export { announce, listenPort } from './listen.mjs';
export { httpGet, query, sleep } from './work.mjs';
