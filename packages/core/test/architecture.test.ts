import { existsSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);

// ARCHITECTURE.md walks the code file by file; a file it names that is gone means the page is stale.
it('names only files and folders that exist in ARCHITECTURE.md', () => {
  const page = readFileSync(new URL('ARCHITECTURE.md', root), 'utf8');
  const paths = [...page.matchAll(/`((?:packages|tools|examples)\/[^`*\s]*|[a-z-]+\.json)`/g)].map(
    (match) => match[1] as string,
  );
  expect(paths.length).toBeGreaterThan(30);
  const missing = paths.filter((path) => !existsSync(new URL(path, root)));
  expect(missing).toEqual([]);
});
