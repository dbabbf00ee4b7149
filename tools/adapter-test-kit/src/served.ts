import { readTimedResponse, request, type TimedResponse } from './client.js';

/** A Fetch-API application: `(Request) => Response`, called in this process without a server. */
export type FetchApp = (request: Request) => Response | Promise<Response>;

/**
 * Where a test app answers: the origin of a server listening on 127.0.0.1 (`http://127.0.0.1:41234`),
 * or a Fetch-API application called directly (Hono's `app.request`, a `withServerTiming` handler).
 */
export type Served = string | FetchApp;

/** The origin the requests of a {@link FetchApp} carry. */
const FETCH_APP_ORIGIN = 'http://fetch-app.test';

/** Sends one request for `path` (e.g. `/work`) to a served app, over the network or by calling it. */
export async function send(served: Served, path: string, init?: RequestInit): Promise<TimedResponse> {
  if (typeof served === 'string') return request(`${served}${path}`, init);
  return readTimedResponse(await served(new Request(`${FETCH_APP_ORIGIN}${path}`, init)));
}
