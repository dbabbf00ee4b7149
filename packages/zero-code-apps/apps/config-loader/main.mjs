// A small report CLI: JSON imported as a module, top-level await, files found through import.meta and a
// formatter plugin loaded with a dynamic import() chosen by the configuration.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import config from './config.json' with { type: 'json' };

const csv = await readFile(new URL('./data.csv', import.meta.url), 'utf8');
const rows = csv
  .trim()
  .split('\n')
  .map((line) => line.split(','));

const { format } = await import(`./plugins/${config.formatter}.mjs`);
console.log(`${config.name} from ${basename(import.meta.filename ?? new URL(import.meta.url).pathname)}`);
console.log(format(config.columns, rows));
console.log(`resolved: ${import.meta.resolve('./plugins/table.mjs').endsWith('/plugins/table.mjs')}`);
