// @ts-check
// Load generation with autocannon (used as a library, in this process).
import autocannon from 'autocannon';

/**
 * @typedef {object} LoadResult
 * @property {number} requests responses received
 * @property {number} failed responses that were not 2xx, plus errors and timeouts
 * @property {number} seconds wall-clock time from the start to the last response
 * @property {Float64Array | undefined} latencies sorted response times (ms), when asked for
 */

/**
 * Sends GET requests to `path` over `connections` keep-alive connections (one request in flight on each),
 * `amount` of them or for `duration` seconds, and resolves when all have been answered. autocannon checks
 * `amount` only once a second, so a run by amount ends with up to a second of idle connections; runs
 * whose server CPU time is measured use `duration`, which keeps the server busy to the end.
 * @param {{ port: number, path: string, connections: number, amount?: number, duration?: number,
 *   latencies?: boolean }} load
 * @returns {Promise<LoadResult>}
 */
export function runLoad({ port, path, connections, amount, duration, latencies = false }) {
  return new Promise((resolve, reject) => {
    const times = latencies ? new Float64Array((amount ?? 0) + connections) : undefined;
    let responses = 0;
    let failed = 0;
    const start = process.hrtime.bigint();
    // autocannon notices that `amount` is reached only on its next one-second tick: time to the last response.
    let end = start;
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}${path}`,
        connections,
        ...(duration === undefined ? { amount } : { duration }),
        pipelining: 1,
        timeout: 30,
      },
      (/** @type {Error | null} */ error, /** @type {any} */ result) => {
        if (error) {
          reject(error);
          return;
        }
        const seconds = Number(end - start) / 1e9;
        failed += result.errors + result.timeouts;
        resolve({
          requests: responses,
          failed,
          seconds,
          latencies:
            times === undefined ? undefined : times.subarray(0, Math.min(responses, times.length)).sort(),
        });
      },
    );
    instance.on(
      'response',
      (
        /** @type {unknown} */ _client,
        /** @type {number} */ statusCode,
        /** @type {number} */ _bytes,
        /** @type {number} */ responseTime,
      ) => {
        if (times !== undefined && responses < times.length) times[responses] = responseTime;
        responses++;
        end = process.hrtime.bigint();
        if (statusCode < 200 || statusCode > 299) failed++;
      },
    );
  });
}
