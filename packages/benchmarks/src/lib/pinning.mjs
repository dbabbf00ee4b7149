// @ts-check
// CPU pinning with `taskset` (util-linux), when the machine has it and more than one core.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Cores the load generator and the servers run on: `PIN=same` puts both on core 1. */
export const SERVER_CORE = 1;
export const LOAD_CORE = process.env.PIN === 'same' ? SERVER_CORE : 0;

function hasTaskset() {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether pinning is possible here: `taskset` exists and there are at least two cores. */
export const canPin = availableParallelism() >= 2 && hasTaskset();

/**
 * Pins this process (every thread of it) to `core`; does nothing when pinning is not possible.
 * @param {number} core
 */
export function pinSelf(core) {
  if (canPin)
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

/**
 * The command and arguments that run `node <args>` pinned to `core` (unpinned when not possible).
 * @param {number} core
 * @param {string[]} args
 * @returns {[string, string[]]}
 */
export function pinnedNode(core, args) {
  if (!canPin) return [process.execPath, args];
  return ['taskset', ['-c', String(core), process.execPath, ...args]];
}

/** How the run was pinned, for the report. */
export function pinningNote() {
  return canPin
    ? `servers pinned to core ${SERVER_CORE}, load generator to core ${LOAD_CORE} (taskset)`
    : 'not pinned (no taskset or a single core)';
}
