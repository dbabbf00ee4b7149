// @ts-check
// CPU pinning with `taskset` (util-linux), when the machine has it and more than one core.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Cores the servers and the load generator run on: both on core 1, so that a server's CPU time holds its
 * own work only. With the load generator on another core (`PIN=apart`: core 0), each response the server
 * writes may have to wake that core, idle while it waits, by an inter-processor interrupt; on a VM that is
 * dear system time, charged to the server, and more of it the slower the server is, so it inflated the
 * ratio of a slower configuration and the spread of all (BENCHMARKS.md, session 6).
 */
export const SERVER_CORE = 1;
export const LOAD_CORE = process.env.PIN === 'apart' ? 0 : SERVER_CORE;

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
