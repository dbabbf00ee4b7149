import { connection } from 'next/server';

// A dynamic page: rendered for each request.
export default async function Dynamic() {
  await connection();
  return <h1>Rendered at {new Date().toISOString()}</h1>;
}
