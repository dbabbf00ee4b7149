// CommonJS code that require()s an ES module (Node 20.19+, 22.12+), and imports it too.
const money = require('./lib/money.mjs');

console.log(Object.keys(money).sort().join(','), money.default.name);
console.log(money.format(1250), money.currency);
import('./lib/money.mjs').then((imported) => {
  console.log(`same module through import(): ${imported.format === money.format}`);
});
