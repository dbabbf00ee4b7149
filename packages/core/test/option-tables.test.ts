import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADAPTER_OPTIONS, PROCESSOR_OPTIONS } from '../src/option-schema.js';
import { TABLE_MARKER, withTables } from './option-tables.js';

const root = new URL('../../../', import.meta.url);
const update = process.env.UPDATE_OPTION_TABLES === '1';

/** Each README and the tables it must show. */
const READMES: Record<string, readonly string[]> = {
  'packages/core/README.md': ['processor'],
  'packages/node/README.md': ['node-adapter', 'environment'],
  'packages/express/README.md': ['node-adapter'],
  'packages/fastify/README.md': ['node-adapter'],
  'packages/koa/README.md': ['node-adapter'],
  'packages/fetch/README.md': ['fetch-adapter'],
  'packages/hono/README.md': ['fetch-adapter'],
};

describe('README options tables', () => {
  it.each(Object.entries(READMES))('%s shows the option schema', (path, tables) => {
    const file = new URL(path, root);
    const readme = readFileSync(file, 'utf8');
    const marked = [...readme.matchAll(TABLE_MARKER)].map((match) => match[1]);
    expect(marked, 'the tables marked in the README').toEqual(tables);
    const expected = withTables(readme);
    if (update && expected !== readme) writeFileSync(file, expected);
    else
      expect(readme, 'run `pnpm --filter @otel-server-timing/core options:tables` to regenerate').toBe(
        expected,
      );
  });

  it("names only real options and the real defaults in the root README's exposure table", () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const section = readme.slice(readme.indexOf('What to expose in production'));
    const table = section.slice(section.indexOf('\n|'), section.indexOf('\n\n', section.indexOf('\n|')));
    const rows = table.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      for (const [, name] of (row.split('|')[1] ?? '').matchAll(/`([a-zA-Z]+)/g)) {
        expect(Object.keys(ADAPTER_OPTIONS), `option ${name}`).toContain(name);
      }
    }
    const { maxBytes, maxMetrics } = PROCESSOR_OPTIONS;
    expect(table).toContain(`${maxBytes.default} bytes, ${maxMetrics.default} metrics by default`);
  });
});
