// The examples listen on 127.0.0.1 at PORT (default 3000; 0 picks a free port) and say where.

/** The port to listen on: `PORT`, else 3000. */
export function listenPort() {
  return Number(process.env.PORT ?? 3000);
}

/**
 * Prints the URL, a `curl -i` line for `path` and `note` once `server` listens, or, when the port is
 * taken, a message saying how to pick another and exits. Returns the server.
 */
export function announce(server, path = '/', note = '') {
  server.once('listening', () => {
    const url = `http://127.0.0.1:${server.address().port}`;
    console.log(`Listening on ${url}/\nTry: curl -i ${url}${path}${note && `\n${note}`}`);
  });
  server.once('error', (error) => {
    if (error.code !== 'EADDRINUSE') throw error;
    console.error(
      `Port ${error.port} is already in use (is another example still running?). Start with another port, e.g. PORT=3001, or PORT=0 for any free one.`,
    );
    process.exit(1);
  });
  return server;
}
