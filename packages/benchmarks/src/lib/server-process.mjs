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
 * `env` is added to this process's environment.
 * @param {{ framework: string, config: string, nodeArgs?: string[], options?: object,
 *   env?: Record<string, string> }} spec
 * @returns {Promise<ServerProcess>}
 */
export function startServer({ framework, config, nodeArgs = [], options = {}, env = {} }) {
  const [command, args] = pinnedNode(SERVER_CORE, [
    ...nodeArgs,
    SERVER_SCRIPT,
    framework,
    config,
    JSON.stringify(options),
  ]);
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
