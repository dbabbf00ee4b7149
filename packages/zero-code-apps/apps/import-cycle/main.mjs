import { renderPage } from './pages.mjs';

console.log(renderPage('home'));
console.log(renderPage('about'));
