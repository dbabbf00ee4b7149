import * as utils from './utils/index.mjs';
import { calls, slug, sum } from './utils/index.mjs';

console.log(Object.keys(utils).join(','));
console.log(Object.prototype.toString.call(utils), Object.isFrozen(utils), Object.isExtensible(utils));
console.log(utils.capitalize('tea'), slug('Green Tea  Leaves'), sum(2, 3), utils.math.add(1, 1));
// Both calls counted, seen through the re-export and through the nested namespace.
console.log(`calls=${calls} math.calls=${utils.math.calls}`);
try {
  utils.capitalize = () => 'replaced';
} catch (error) {
  console.log(`namespace is read-only: ${error.constructor.name}`);
}
