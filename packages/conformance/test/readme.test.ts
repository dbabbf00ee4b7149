import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CORPUS } from '../src/corpus.js';
import { renderTable, TABLE_END, TABLE_START } from '../src/readme-table.js';

/** A table line with its cells' padding taken away (the formatter aligns the columns). */
const unpadded = (table: string) =>
  table
    .split('\n')
    .map((line) =>
      line
        .split('|')
        .map((cell) => cell.trim().replace(/^-+$/, '---'))
        .join('|'),
    )
    .join('\n');

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const TESTS = fileURLToPath(new URL('.', import.meta.url));

describe('README: What your instrumentations become', () => {
  it('shows exactly the corpus that the tests check', () => {
    const readme = readFileSync(README, 'utf8');
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    const table = renderTable(CORPUS);
    if (process.env.UPDATE_README === '1' && start >= 0 && end > start) {
      writeFileSync(README, readme.slice(0, start) + table + readme.slice(end + TABLE_END.length));
      return;
    }
    expect(start, 'the README has the table markers').toBeGreaterThanOrEqual(0);
    expect(
      unpadded(readme.slice(start, end + TABLE_END.length)),
      'the README table differs from the corpus: UPDATE_README=1 pnpm --filter @otel-server-timing/conformance test readme',
    ).toBe(unpadded(table));
  });

  it('has a test for every corpus entry', () => {
    const sources = readdirSync(TESTS)
      .filter((file) => file.endsWith('.test.ts') && file !== 'readme.test.ts')
      .map((file) => readFileSync(`${TESTS}/${file}`, 'utf8'))
      .join('\n');
    const untested = Object.keys(CORPUS).filter((key) => !sources.includes(`CORPUS.${key}`));
    expect(untested).toEqual([]);
  });
});
