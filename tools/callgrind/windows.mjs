// @ts-check
// Instructions of windows of work, counted by valgrind's callgrind in a child Node process, for the
// benchmarks that must not depend on how busy the machine is (core's and node's bench/instructions.mjs,
// core's bench/header-cost.mjs). Not a workspace package: benchmarks import this file by its path.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * One child process under callgrind. The child writes one line once it is warmed up (what it writes is
 * returned by {@link CallgrindChild.start}); then, for each line it reads, it does one window of work and
 * writes `done`. Each window is counted on its own: callgrind's counters are zeroed before it and dumped
 * after it, so start-up, warm-up and whatever the child does between windows are left out.
 */
export class CallgrindChild {
  /** @type {import('node:child_process').ChildProcessWithoutNullStreams} */
  #child;
  /** @type {AsyncIterator<string>} */
  #lines;
  #directory;
  #label;

  /**
   * @param {import('node:child_process').ChildProcessWithoutNullStreams} child
   * @param {string} directory
   * @param {string} label
   */
  constructor(child, directory, label) {
    this.#child = child;
    this.#lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    this.#directory = directory;
    this.#label = label;
  }

  /**
   * Starts `node [nodeArgs] script [args]` under callgrind and waits for its first line.
   * @param {{ script: string, args?: string[], nodeArgs?: string[], callgrindArgs?: string[], label: string }} spec
   * @returns {Promise<{ child: CallgrindChild, ready: string }>}
   */
  static async start({ script, args = [], nodeArgs = [], callgrindArgs = [], label }) {
    const directory = mkdtempSync(join(tmpdir(), 'callgrind-windows-'));
    const child = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        `--callgrind-out-file=${join(directory, 'cg.%p')}`,
        ...callgrindArgs,
        process.execPath,
        ...nodeArgs,
        script,
        ...args,
      ],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    const started = new CallgrindChild(child, directory, label);
    const ready = await started.next();
    if (ready === '') {
      started.stop();
      throw new Error(`${label}: the process did not start`);
    }
    return { child: started, ready };
  }

  get pid() {
    return /** @type {number} */ (this.#child.pid);
  }

  /** The child's next line of output (`''` once it has ended). */
  async next() {
    return (await this.#lines.next()).value ?? '';
  }

  /** Writes `line` to the child. */
  send(line) {
    this.#child.stdin.write(`${line}\n`);
  }

  /**
   * One window: zeroes the counters, sends `command`, waits for `done`, dumps. Returns the instructions
   * counted and callgrind's dump of them.
   * @returns {Promise<{ instructions: number, dump: string }>}
   */
  async window(command = 'run') {
    execFileSync('callgrind_control', ['-z', String(this.pid)], { stdio: 'ignore' });
    this.send(command);
    if ((await this.next()) !== 'done') throw new Error(`${this.#label}: a window did not finish`);
    const before = new Set(readdirSync(this.#directory));
    execFileSync('callgrind_control', ['-d', String(this.pid)], { stdio: 'ignore' });
    const file = readdirSync(this.#directory).find((name) => !before.has(name));
    const dump = file === undefined ? '' : readFileSync(join(this.#directory, file), 'utf8');
    const totals = /^totals:\s+(\d+)/m.exec(dump);
    if (totals === null) throw new Error(`${this.#label}: callgrind wrote no totals for ${this.pid}`);
    return { instructions: Number(totals[1]), dump };
  }

  /** Ends the child and removes its dumps. */
  stop() {
    this.#child.stdin.end();
    this.#child.kill();
    rmSync(this.#directory, { recursive: true, force: true });
  }
}

/**
 * The median over `windows` windows of one child's instructions per unit of work (`perWindow` units a
 * window): the figure of one process once start-up and JIT warm-up are paid.
 * @param {{ script: string, args?: string[], nodeArgs?: string[], label: string }} spec
 * @param {number} windows
 * @param {number} perWindow
 */
export async function medianWindow(spec, windows, perWindow) {
  const { child } = await CallgrindChild.start(spec);
  try {
    const figures = [];
    for (let window = 0; window < windows; window++) {
      figures.push((await child.window()).instructions / perWindow);
    }
    figures.sort((a, b) => a - b);
    return { median: figures[Math.floor(windows / 2)] ?? Number.NaN, figures };
  } finally {
    child.stop();
  }
}
