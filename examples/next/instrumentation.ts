// Next.js runs register() once per server process, before the first request. The Node.js half lives in
// its own file so that the edge runtime never loads node:http.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('./instrumentation-node');
}
