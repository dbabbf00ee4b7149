import { addServerTiming, withServerTiming } from '@otel-server-timing/fetch';
import { database } from '../../../lib/db';

// A route handler. Its response gets the header without anything here; withServerTiming is only needed
// for metrics of the handler's own (addServerTiming). The response still carries one header: one
// `total`, one trace context.
export const GET = withServerTiming(async (request: Request) => {
  const started = performance.now();
  const { rows } = await database().query('SELECT count(*)::int AS count FROM products');
  addServerTiming(request, { name: 'count', duration: performance.now() - started, description: 'products' });
  return Response.json(rows[0]);
});
