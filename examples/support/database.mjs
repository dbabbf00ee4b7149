// A real PostgreSQL for the examples that needs no install: PGlite (PostgreSQL compiled to WebAssembly)
// in this process, served over the Postgres wire protocol on 127.0.0.1. The apps reach it the way they
// would reach any PostgreSQL, through `pg`, so instrumentation-pg makes its real spans.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** The examples' shop: a few products with prices and stock, orders, and shipping rates. */
const SHOP = `
  CREATE TABLE products (id integer PRIMARY KEY, name text NOT NULL, featured boolean NOT NULL);
  CREATE TABLE prices (product_id integer PRIMARY KEY REFERENCES products, price numeric(8, 2) NOT NULL);
  CREATE TABLE stock (product_id integer PRIMARY KEY REFERENCES products, quantity integer NOT NULL);
  CREATE TABLE orders (id integer PRIMARY KEY, placed_on date NOT NULL);
  CREATE TABLE order_items (order_id integer REFERENCES orders, product_id integer REFERENCES products, quantity integer NOT NULL);
  CREATE TABLE rates (carrier text PRIMARY KEY, days integer NOT NULL, price numeric(8, 2) NOT NULL);
  INSERT INTO products VALUES (1, 'tea', true), (2, 'coffee', false), (3, 'cocoa', true);
  INSERT INTO prices VALUES (1, 4.20), (2, 6.50), (3, 5.10);
  INSERT INTO stock VALUES (1, 3), (2, 0), (3, 12);
  INSERT INTO orders VALUES (1, '2026-11-02'), (2, '2026-11-03');
  INSERT INTO order_items VALUES (1, 1, 2), (1, 3, 1), (2, 2, 1);
  INSERT INTO rates VALUES ('Parcelwise', 2, 4.90), ('Slowboat', 9, 1.50);
`;

/**
 * Connections PGlite's server accepts at once (it runs their queries one at a time): enough for the pools
 * of several example processes sharing one database.
 */
const MAX_CONNECTIONS = 32;

/**
 * Starts an in-memory PostgreSQL with the examples' shop tables on a free port of 127.0.0.1. Resolves
 * `{ connectionString, stop }`: give `connectionString` to `new pg.Pool(...)`; `stop()` closes the
 * server and the database. Takes a second or two.
 */
export async function startPostgres() {
  const database = await PGlite.create();
  await database.exec(SHOP);
  const server = new PGLiteSocketServer({
    db: database,
    host: '127.0.0.1',
    port: 0,
    maxConnections: MAX_CONNECTIONS,
  });
  await server.start();
  return {
    connectionString: `postgresql://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await database.close();
    },
  };
}

/**
 * The PostgreSQL at `DATABASE_URL` when that is set (one that {@link startPostgres} started for several
 * example processes to share, or any with the shop's tables), else a new one from {@link startPostgres}.
 */
export async function openPostgres() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) return startPostgres();
  return { connectionString, async stop() {} };
}
