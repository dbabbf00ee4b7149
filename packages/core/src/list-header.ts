/** A header value as a framework holds it (a string, a number, a list of them, or nothing) as list text. */
function asListText(value: unknown): string {
  if (Array.isArray(value)) return value.map(asListText).join(', ');
  return value === undefined || value === null ? '' : String(value);
}

/**
 * A comma-separated list header with `items` appended: `existing, items`, the application's value first,
 * never replaced. With `unique`, only the items `existing` does not list yet (compared without case) are
 * appended (`Timing-Allow-Origin`, `Access-Control-Expose-Headers`); `Server-Timing` entries are always
 * appended. For framework adapters; Node's `getHeader` and the Fetch API's `Headers.get` values both fit.
 */
export function appendToListHeader(existing: unknown, items: string, unique: boolean): string {
  const text = asListText(existing).trim();
  if (text === '') return items;
  if (!unique) return `${text}, ${items}`;
  const listed = new Set(text.split(',').map((item) => item.trim().toLowerCase()));
  const missing = items.split(', ').filter((item) => !listed.has(item.toLowerCase()));
  return missing.length === 0 ? text : `${text}, ${missing.join(', ')}`;
}
