export function format(columns, rows) {
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...rows.map((row) => String(row[index]).length)),
  );
  const line = (cells) => cells.map((cell, index) => String(cell).padEnd(widths[index])).join(' | ');
  return [line(columns), widths.map((width) => '-'.repeat(width)).join('-+-'), ...rows.map(line)].join('\n');
}
