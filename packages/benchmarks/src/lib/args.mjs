// @ts-check
// `--name value` command-line options with numeric or list defaults.

/**
 * Reads `--name value` pairs from `argv` over `defaults` (numbers stay numbers, strings split on commas
 * when the default is a list); `--quick` switches to `quick`'s values first.
 * @template {Record<string, number | string[]>} T
 * @param {string[]} argv
 * @param {T} defaults
 * @param {Partial<T>} quick
 * @returns {T & { quick: boolean }}
 */
export function parseArgs(argv, defaults, quick) {
  const isQuick = argv.includes('--quick');
  /** @type {Record<string, number | string[]>} */
  const options = { ...defaults, ...(isQuick ? quick : {}) };
  for (let index = 0; index < argv.length; index++) {
    const arg = /** @type {string} */ (argv[index]);
    if (arg === '--quick') continue;
    const name = arg.replace(/^--/, '');
    const value = argv[index + 1];
    if (!arg.startsWith('--') || !(name in defaults) || value === undefined) {
      throw new Error(
        `unknown option ${arg}; options: --quick ${Object.keys(defaults)
          .map((key) => `--${key} <value>`)
          .join(' ')}`,
      );
    }
    index++;
    if (Array.isArray(defaults[name])) options[name] = value.split(',');
    else if (Number.isFinite(Number(value))) options[name] = Number(value);
    else throw new Error(`--${name} takes a number; got ${value}`);
  }
  return /** @type {T & { quick: boolean }} */ ({ ...options, quick: isQuick });
}
