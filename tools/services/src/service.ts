import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The host every service listens on: loopback only. */
export const HOST = '127.0.0.1';

/** How to start one kind of server. */
export type ServiceDefinition = {
  /** Short name, used in the temporary directory's name and in error messages. */
  name: string;
  /** The system user the server runs as (some servers refuse to run as root), or `undefined` for the current user. */
  user?: string;
  /**
   * Prepares the directory (e.g. initialises a data directory; runs before the server starts, as `user`)
   * and returns the server's command line.
   */
  prepare(context: ServiceContext): { command: string; args: string[] };
  /** Resolves once the server answers; by default, once its port accepts a TCP connection. */
  ready?(service: RunningService, deadline: number): Promise<void>;
  /** Signal that shuts the server down quickly and cleanly. Default `SIGTERM`. */
  stopSignal?: NodeJS.Signals;
};

/** What a definition's `prepare` gets. */
export type ServiceContext = {
  /** A fresh directory owned by the service's user, removed when the service stops. */
  directory: string;
  /** A port that was free on 127.0.0.1 a moment ago. */
  port: number;
  /** Runs a command to completion as the service's user, throwing with its output if it fails. */
  run(command: string, args: string[]): void;
};

/** A server that is up and answering. */
export type RunningService = {
  name: string;
  host: string;
  port: number;
  directory: string;
  /** Stops the server and removes its directory. Safe to call more than once. */
  stop(): Promise<void>;
};

const START_TIMEOUT_MS = 60_000;

type Account = { uid: number; gid: number };

function accountOf(user: string | undefined): Account | undefined {
  if (user === undefined || process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** A port nobody listens on right now (the server binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Resolves once `port` on 127.0.0.1 accepts a connection. */
export async function waitForPort(port: number, deadline: number): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: HOST, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing answered on ${HOST}:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Kills the server's process group and removes its directory once its owner (this process) is gone,
 * however it went (even `SIGKILL`): a detached shell that polls for the owner.
 */
function startWatchdog(owner: number, serverGroup: number, directory: string): ChildProcess {
  const script = `while kill -0 ${owner} 2>/dev/null; do sleep 1; done; kill -KILL -- -${serverGroup} 2>/dev/null; rm -rf '${directory}'`;
  // bash, not sh: dash's `kill` cannot signal a process group.
  const watchdog = spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}

/** Services that are running, stopped synchronously if this process exits before their `stop()`. */
const running = new Set<() => void>();
let exitHookInstalled = false;
function stopAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const stop of running) stop();
  });
}

/**
 * Starts a server from its definition on 127.0.0.1, a free port and a fresh temporary directory, and
 * resolves once it answers. The server is stopped and its directory removed by `stop()`, at this process's
 * exit, or by a watchdog if this process is killed.
 */
export async function startService(
  definition: ServiceDefinition,
  options: {
    /** The process whose end stops the server if nothing stopped it before (default: this process). */
    owner?: number;
  } = {},
): Promise<RunningService> {
  const account = accountOf(definition.user);
  const directory = mkdtempSync(join(tmpdir(), `otel-st-${definition.name}-`));
  if (account !== undefined) chownSync(directory, account.uid, account.gid);
  chmodSync(directory, 0o700);
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError: unknown;
  // A port found free can be taken before the server binds it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const context: ServiceContext = {
      directory,
      port,
      run(command, args) {
        try {
          execFileSync(command, args, {
            stdio: 'pipe',
            uid: account?.uid,
            gid: account?.gid,
            cwd: directory,
          });
        } catch (error) {
          const output = error as { stderr?: Buffer; stdout?: Buffer };
          throw new Error(
            `${definition.name}: \`${command} ${args.join(' ')}\` failed: ${String(output.stderr ?? '')}${String(output.stdout ?? '')}`,
          );
        }
      },
    };
    const { command, args } = definition.prepare(context);
    const output: string[] = [];
    const child = spawn(command, args, {
      cwd: directory,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: account?.uid,
      gid: account?.gid,
    });
    child.stdout?.on('data', (chunk) => output.push(String(chunk)));
    child.stderr?.on('data', (chunk) => output.push(String(chunk)));
    // 'close' rather than 'exit': it comes after the last of the server's output.
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.once('error', (error) => output.push(String(error)));
    const group = child.pid as number;
    const watchdog = startWatchdog(options.owner ?? process.pid, group, directory);
    const killNow = () => {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {}
      try {
        process.kill(watchdog.pid as number, 'SIGKILL');
      } catch {}
      rmSync(directory, { recursive: true, force: true });
    };
    running.add(killNow);
    stopAllOnExit();
    let stopped: Promise<void> | undefined;
    const service: RunningService = {
      name: definition.name,
      host: HOST,
      port,
      directory,
      stop() {
        stopped ??= (async () => {
          running.delete(killNow);
          try {
            process.kill(-group, definition.stopSignal ?? 'SIGTERM');
          } catch {}
          const timer = setTimeout(() => {
            try {
              process.kill(-group, 'SIGKILL');
            } catch {}
          }, 10_000);
          await exited;
          clearTimeout(timer);
          killNow();
        })();
        return stopped;
      },
    };
    const failed = exited.then(() => {
      throw new Error(`${definition.name} exited before it was ready:\n${output.join('')}`);
    });
    try {
      await Promise.race([(definition.ready ?? readyOnPort)(service, deadline), failed]);
      failed.catch(() => {});
      return service;
    } catch (error) {
      failed.catch(() => {});
      lastError = error;
      await service.stop();
      if (Date.now() > deadline) break;
      // `stop()` removed the directory: the next attempt starts from an empty one.
      mkdirFresh(directory, account);
    }
  }
  rmSync(directory, { recursive: true, force: true });
  throw new Error(`${definition.name} did not start: ${String(lastError)}`);
}

function readyOnPort(service: RunningService, deadline: number): Promise<void> {
  return waitForPort(service.port, deadline);
}

function mkdirFresh(directory: string, account: Account | undefined): void {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  if (account !== undefined) chownSync(directory, account.uid, account.gid);
  chmodSync(directory, 0o700);
}
