import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/internal.ts', 'src/register.ts', 'src/zero-code.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // One shared chunk for the entries in each format: `zero-code` (which `register` requires in the main
  // thread only) and the main entry share one copy.
  splitting: true,
  // `import.meta.url` in the CommonJS build.
  shims: true,
  // Rollup then splits the CommonJS build. Without it tsup converts the shared chunk with sucrase, which
  // also rewrites every `?.` and `??` into a helper call that allocates, on paths run per response.
  treeshake: true,
});
