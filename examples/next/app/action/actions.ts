'use server';

import { database } from '../../lib/db';

// A server action: the browser POSTs to the page, Next runs this and answers with the result.
export async function addProduct(name: string): Promise<number> {
  const { rows } = await database().query<{ count: number }>(
    'INSERT INTO products (name) VALUES ($1) RETURNING (SELECT count(*)::int + 1 FROM products) AS count',
    [name],
  );
  return rows[0]?.count ?? 0;
}
