// An ES module (as more and more packages ship), required from CommonJS.
export const currency = 'EUR';

export function format(cents) {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}

export default { name: 'money' };
