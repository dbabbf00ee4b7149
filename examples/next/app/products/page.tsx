import { connection } from 'next/server';
import { database } from '../../lib/db';

// A page that queries PostgreSQL: instrumentation-pg's spans become the header's `postgresql` metric.
export default async function Products() {
  await connection();
  const { rows } = await database().query<{ name: string }>('SELECT name FROM products ORDER BY name');
  return (
    <ul>
      {rows.map((row) => (
        <li key={row.name}>{row.name}</li>
      ))}
    </ul>
  );
}
