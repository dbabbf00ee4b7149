// WebKit (WebKitGTK, Safari's engine) from Debian's `webkit2gtk-driver` package: WebKitWebDriver under
// xvfb-run, spoken to as a plain W3C WebDriver over HTTP. Each session is a MiniBrowser of its own with
// its own (ephemeral) cache and cookies; the driver and its X server start once.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** Debian's WebKitWebDriver, or the one `WEBKIT_DRIVER_PATH` names. */
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One WebDriver command; throws the driver's error message. */
async function command(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const { value } = await response.json();
  if (!response.ok || value?.error) {
    throw new Error(`WebKitWebDriver ${method} ${path}: ${value?.error} ${value?.message ?? ''}`.trim());
  }
  return value;
}

/**
 * Starts WebKitWebDriver under `xvfb-run -a` on a free port of 127.0.0.1 and waits until it answers.
 * `newSession()` opens a MiniBrowser; `close()` ends the driver, its X server and every browser it started.
 */
export async function startWebKitDriver(executablePath = WEBKIT_DRIVER_PATH) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Its own process group, so that one signal ends xvfb-run, Xvfb, the driver and its browsers.
  const driver = spawn('xvfb-run', ['-a', executablePath, `--port=${port}`], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  driver.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) => driver.once('exit', resolve));
  const stop = () => {
    try {
      process.kill(-driver.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.once('exit', stop);

  for (let attempt = 0; ; attempt++) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited: ${output}`);
    try {
      await command(base, 'GET', '/status');
      break;
    } catch (error) {
      if (attempt > 300) {
        stop();
        throw new Error(`WebKitWebDriver did not answer on ${base}: ${error}\n${output}`);
      }
      await delay(100);
    }
  }

  return {
    /** Opens a MiniBrowser; with `proxy` (`host:port`), its requests go through that HTTP proxy. */
    async newSession({ proxy } = {}) {
      const capabilities = { 'webkitgtk:browserOptions': { args: ['--automation'] } };
      if (proxy) capabilities.proxy = { proxyType: 'manual', httpProxy: proxy };
      const created = await command(base, 'POST', '/session', {
        capabilities: { alwaysMatch: capabilities },
      });
      const session = `/session/${created.sessionId}`;
      return {
        version: created.capabilities.browserVersion,
        navigate: (url) => command(base, 'POST', `${session}/url`, { url }),
        /** Runs `script` as a WebDriver async script: its last argument is the callback that returns. */
        executeAsync: (script, args) => command(base, 'POST', `${session}/execute/async`, { script, args }),
        close: () => command(base, 'DELETE', session),
      };
    },
    async close() {
      process.removeListener('exit', stop);
      stop();
      await exited;
    },
  };
}
