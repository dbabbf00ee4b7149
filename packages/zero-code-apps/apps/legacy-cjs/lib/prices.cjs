// An older CommonJS module, still required by the rest of the code base.
const rates = require('./rates.json');

exports.currency = 'EUR';
exports.priceOf = function priceOf(product) {
  return rates[product] ?? null;
};
