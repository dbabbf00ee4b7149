// Next.js runs register() once per server process, before it serves requests. The Node.js set-up lives in
// its own files so that the edge runtime never loads node:http. This example has two, to show (and
// test) both: @vercel/otel's registerOTel (the default) and a plain NodeSDK (OTEL_SETUP=node-sdk).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.OTEL_SETUP === 'node-sdk') await import('./instrumentation-node-sdk');
  else await import('./instrumentation-node');
}
