// A static page: prerendered at build time, served by `next start` from its build output.
export default function Home() {
  return <h1>Static page</h1>;
}
