// @ts-check
// Parent side of a benchmark server: starts `server.mjs` in its own (pinned) process and talks to it
// over the IPC channel.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinnedNode, SERVER_CORE } from './pinning.mjs';

const SERVER_SCRIPT = fileURLToPath(new URL('../server.mjs', import.meta.url));

/**
 * @typedef {object} ServerProcess
 * @property {number} port
 * @property {number} pid the spawned process (with pinning, `taskset`, which execs node in place)
 * @property {(type: string) => Promise<any>} call Sends a request over IPC and resolves with the reply.
 * @property {() => Promise<void>} stop
 */

/**
 * Starts one server: `node [nodeArgs] server.mjs <framework> <config> [options JSON]`, pinned to the
 * server core. Resolves once it listens.
 * `env` is added to this process's environment; `wrapper` runs node under another program (e.g.
 * `['valgrind', '--tool=callgrind']`), in the same process.
 * @param {{ framework: string, config: string, nodeArgs?: string[], options?: object,
 *   env?: Record<string, string>, wrapper?: string[] }} spec
 * @returns {Promise<ServerProcess>}
 */
export function startServer({ framework, config, nodeArgs = [], options = {}, env = {}, wrapper = [] }) {
  const nodeCommand = [...nodeArgs, SERVER_SCRIPT, framework, config, JSON.stringify(options)];
  const [command, args] =
    wrapper.length === 0
      ? pinnedNode(SERVER_CORE, nodeCommand)
      : [/** @type {string} */ (wrapper[0]), [...wrapper.slice(1), process.execPath, ...nodeCommand]];
  const child = spawn(command, args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  let nextId = 0;
  const pid = /** @type {number} */ (child.pid);
  /** @type {Map<number, (value: any) => void>} */
  const pending = new Map();
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      reject(new Error(`${framework}/${config} server exited early (${code ?? signal})`));
      for (const settle of pending.values()) settle(undefined);
    });
    child.on('message', (/** @type {any} */ message) => {
      if (message.type === 'ready') {
        resolve({
          port: message.port,
          pid,
          call(type) {
            const id = nextId++;
            return new Promise((settle) => {
              pending.set(id, settle);
              child.send({ type, id });
            });
          },
          stop() {
            return new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            });
          },
        });
        return;
      }
      const settle = pending.get(message.id);
      pending.delete(message.id);
      settle?.(message.value);
    });
  });
}
