// A real PostgreSQL for the example, with nothing to install: PGlite (PostgreSQL compiled to WebAssembly)
// served on 127.0.0.1 over the PostgreSQL wire protocol by pglite-socket, seeded with a products table.
//   node database.mjs            # prints the DATABASE_URL to start the app with
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Starts the database on `port` (0: a free one). Resolves to its URL and a `stop()`. */
export async function startDatabase(port = 0) {
  const db = await PGlite.create();
  await db.exec(`
    CREATE TABLE products (name text NOT NULL);
    INSERT INTO products (name) VALUES ('kettle'), ('lamp'), ('teapot');
  `);
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1' });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const database = await startDatabase(Number(process.env.DATABASE_PORT ?? 5432));
  console.log(`DATABASE_URL=${database.url}`);
  process.once('SIGINT', () => database.stop().then(() => process.exit(0)));
}
