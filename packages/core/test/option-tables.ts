import {
  OPTION_TABLES,
  type OptionSchema,
  type OptionSpec,
  PROCESSOR_OPTIONS,
} from '../src/option-schema.js';

/** A README's options tables sit between `<!-- options: <table>[, request: <name>] -->` and `<!-- /options -->`. */
export const TABLE_MARKER = /<!-- options: ([a-z-]+)(?:, request: (.+?))? -->\n[\s\S]*?<!-- \/options -->/g;

function code(value: unknown): string {
  return `\`${typeof value === 'string' ? `'${value}'` : String(value)}\``;
}

/** Columns padded to one width, as the READMEs are formatted. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] as number)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function optionsTable(schema: OptionSchema, request: string): string {
  const rows = Object.entries(schema).map(([name, spec]: [string, OptionSpec]) => [
    `\`${name}\``,
    spec.type.replace(/REQ/g, request),
    spec.defaultText ?? code(spec.default),
    spec.description,
  ]);
  return markdownTable(['option', 'type', 'default', 'description'], rows);
}

function environmentValue(spec: OptionSpec): string {
  const env = spec.env as NonNullable<OptionSpec['env']>;
  let value: string;
  if (env.kind === 'boolean') value = '`true` / `false`';
  else if (env.kind === 'integer') value = `whole number, ${spec.type.replace(/^integer /, '')}`;
  else if (env.kind === 'choice') value = (env.choices ?? []).map((choice) => `\`${choice}\``).join(', ');
  else if (env.kind === 'downstream') value = 'comma-separated origins, each optionally `prefix=origin`';
  else value = '`*` or `true` (any origin), `false`, or comma-separated origins';
  return env.note === undefined ? value : `${value} ${env.note}`;
}

function environmentTable(): string {
  const rows: string[][] = [];
  for (const schema of [OPTION_TABLES['node-adapter'], PROCESSOR_OPTIONS] as OptionSchema[]) {
    for (const spec of Object.values(schema)) {
      if (spec.env === undefined) continue;
      const fallback = spec.default === undefined ? 'none' : `\`${String(spec.default)}\``;
      rows.push([`\`OTEL_SERVER_TIMING_${spec.env.name}\``, environmentValue(spec), fallback]);
    }
  }
  return markdownTable(['variable', 'value', 'default'], rows);
}

/** The table a marker asks for, rendered from the option schema. */
export function renderTable(table: string, request = 'req'): string {
  if (table === 'environment') return environmentTable();
  const schema = (OPTION_TABLES as Record<string, OptionSchema>)[table];
  if (schema === undefined) throw new Error(`no options table named ${table}`);
  return optionsTable(schema, request);
}

/** `readme` with every marked table replaced by the schema's. */
export function withTables(readme: string): string {
  return readme.replace(TABLE_MARKER, (_, table: string, request: string | undefined) => {
    const marker = `<!-- options: ${table}${request === undefined ? '' : `, request: ${request}`} -->`;
    return `${marker}\n${renderTable(table, request)}\n<!-- /options -->`;
  });
}
