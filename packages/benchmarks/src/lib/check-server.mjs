// @ts-check
// Before a server is measured: one request, to be sure its configuration does what its name says. A
// server whose tracing silently failed to install (for one, instrumentation-http constructed after
// node:http was loaded) would otherwise be measured, and reported, as cheap.

/** Spans a traced request makes at least: the server span and the route's two child operations. */
const MIN_SPANS = 3;

/** What a header built from the route's spans carries: both operations and the trace context. */
const FROM_SPANS = [/(^|, )postgresql;dur=/, /(^|, )cache_get;dur=/, /(^|, )traceparent;desc="00-/];

/** Server-Timing entries each configuration's responses must carry (`null`: no header at all). */
const HEADER = {
  none: null,
  otel: null,
  'otel-noop': null,
  'otel-header': [/^postgresql;dur=0.02;/, /(^|, )traceparent;desc="00-/],
  'otel-untraced-noop': null,
  'otel-untraced-header': [/^postgresql;dur=0.02;/, /(^|, )traceparent;desc="00-/],
  'processor-only': null,
  'intercept-only': null,
  'attach-empty': null,
  'attach-const': [/(^|, )postgresql;dur=/, /(^|, )traceparent;desc="00-/],
  'adapter-only': [/^traceparent;desc="00-/],
  'server-timing': FROM_SPANS,
  'server-timing-hook': FROM_SPANS,
  'server-timing-ignored': FROM_SPANS,
  manual: [/(^|, )db; ?dur=/, /(^|, )cache; ?dur=/],
  upstream: null,
};
const UNTRACED = ['none', 'manual'];

/**
 * Sends one request to `server` and throws, saying what is wrong, unless the response and the spans it
 * made match `config`.
 * @param {import('./server-process.mjs').ServerProcess} server
 * @param {string} config
 * @param {string} path
 */
export async function checkServer(server, config, path) {
  const expected = /** @type {Record<string, RegExp[] | null>} */ (HEADER)[config];
  if (expected === undefined) throw new Error(`no check for configuration ${config}`);
  const spansBefore = await server.call('spans');
  // `Connection: close`: a kept-alive socket would keep this request's context (and its spans) alive,
  // which the soak test's check that no request object survives would rightly count.
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    headers: { connection: 'close' },
  });
  await response.arrayBuffer();
  const spansAfter = await server.call('spans');
  const spans = spansAfter === null ? null : spansAfter - spansBefore;
  const header = response.headers.get('server-timing');
  const problems = [];
  if (response.status !== 200) problems.push(`status ${response.status}`);
  // `null`: the server cannot count them (zero-code: the SDK its `--import` started exports them).
  if (spans !== null && (UNTRACED.includes(config) ? spans !== 0 : spans < MIN_SPANS)) {
    problems.push(`${spans} spans exported for one request`);
  }
  if (expected === null ? header !== null : !expected.every((entry) => entry.test(header ?? ''))) {
    problems.push(`Server-Timing: ${header ?? '(none)'}`);
  }
  if (problems.length > 0)
    throw new Error(`the ${config} server is not set up as it should be: ${problems.join('; ')}`);
}
