// ESM code using CommonJS modules: named exports found by Node's CommonJS analysis, module.exports as the
// default import, and createRequire for what the import syntax cannot load.
import { createRequire } from 'node:module';
import Logger from './lib/logger.cjs';
import prices, { currency, priceOf } from './lib/prices.cjs';

const require = createRequire(import.meta.url);
const rates = require('./lib/rates.json');
const logger = new Logger('prices');

logger.log(`tea costs ${priceOf('tea')} ${currency}`);
logger.log(`same module: ${prices.priceOf === priceOf}, same rates: ${Object.keys(rates).join('/')}`);
logger.log(`cocoa: ${priceOf('cocoa')}`);
