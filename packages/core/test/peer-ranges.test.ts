import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const { '//': _why, ...ranges } = JSON.parse(read('peer-ranges.json')) as Record<string, string>;
const PUBLISHED = ['core', 'node', 'express', 'fastify', 'koa', 'fetch', 'hono', 'browser'];

describe('peer ranges, declared once in peer-ranges.json', () => {
  it.each(PUBLISHED)('packages/%s declares them as peer-ranges.json does', (name) => {
    const manifest = JSON.parse(read(`packages/${name}/package.json`)) as {
      peerDependencies?: Record<string, string>;
    };
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {})) {
      expect(range, `${peer} in packages/${name}/package.json`).toBe(ranges[peer]);
    }
  });

  it('puts no upper cap on the @opentelemetry/api 1.x line', () => {
    expect(ranges['@opentelemetry/api']).toMatch(/^\^1\.\d+\.\d+$/);
  });

  it("is what the root README's table of declared ranges says", () => {
    const row = read('README.md')
      .split('\n')
      .find((line) => line.startsWith('| peer `@opentelemetry/api`'));
    expect(row?.split('|')[2]?.trim()).toBe(`\`${ranges['@opentelemetry/api']}\``);
  });
});
