// @ts-check
// What the figures came from: the machine and how busy it was.
import { cpus, loadavg } from 'node:os';

/** The number of cores (all of them, not only those this process may use), the CPU model and the Node version, in one line. */
export function machineLine() {
  const model = cpus()[0]?.model.trim() || 'unknown CPU';
  return `${cpus().length} cores (${model}), Node ${process.version}`;
}

/** The 1, 5 and 15 minute load averages, as `uptime` prints them. */
export function loadLine() {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
}
