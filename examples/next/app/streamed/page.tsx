import { connection } from 'next/server';
import { Suspense } from 'react';

async function Slow() {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return <p>streamed after 50 ms</p>;
}

// A streamed page: the shell goes out first (with the header), the slow part follows in the same response.
export default async function Streamed() {
  await connection();
  return (
    <main>
      <h1>Streamed page</h1>
      <Suspense fallback={<p>loading</p>}>
        <Slow />
      </Suspense>
    </main>
  );
}
