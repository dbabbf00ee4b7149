'use strict';
// The SDK 2.x line (../sdk2.cjs) with this set's modules; `import()` written here resolves from this folder.
/** @type {import('../sdk').Sdk} */
module.exports = {
  ...require('../sdk2.cjs')(require),
  importHere: (specifier) => import(specifier),
};
