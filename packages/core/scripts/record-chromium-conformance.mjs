/**
 * Records what Chromium exposes as `serverTiming` for a list of `Server-Timing` header values and writes
 * `test/fixtures/chromium-server-timing.json`, the reference that `parseServerTiming` is tested against.
 *
 *   node scripts/record-chromium-conformance.mjs      (CHROMIUM_PATH defaults to /usr/bin/chromium)
 *
 * Each case is served by a local node:http server as a page whose response carries the header (an array
 * is sent as several header lines) and read back from the navigation entry. Durations that JSON cannot
 * hold (-0, ±Infinity, NaN) are written as strings; `decodeDuration` turns them back into numbers.
 * Node refuses header values holding control characters other than tab (CR and LF among them), DEL or
 * anything above U+00FF, so no case holds those; test/parse.test.ts covers them.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHROMIUM_PATH, launchChromium } from '@otel-server-timing/browsers';

const FIXTURE = new URL('../test/fixtures/chromium-server-timing.json', import.meta.url);
const LONG_DESCRIPTION = 'x'.repeat(300);

/** Header values to record: a string is one header line, an array several lines in order. */
const CASES = [
  // Plain metrics, including the examples of the specification.
  'total',
  'total;dur=123.4',
  'Total;Dur=1',
  'db;dur=53, app;dur=47.2',
  'cache;desc="Cache Read";dur=23.2',
  'dc;desc=atl',
  'miss, db;dur=53, app;dur=47.2, customView, dc;desc=atl, cache;desc="Cache Read";dur=23.2',
  'a;dur=1,b;dur=2,c;dur=3',
  'a;dur=1;desc=first, a;dur=2;desc=second',
  Array.from({ length: 40 }, (_, index) => `m${index};dur=${index}`).join(', '),

  // Durations.
  'm;dur=0',
  'm;dur=-1',
  'm;dur=-0',
  'm;dur=+5',
  'm;dur=.5',
  'm;dur=-.5',
  'm;dur=5.',
  'm;dur=007',
  'm;dur=1e3',
  'm;dur=1E-3',
  'm;dur=5.e2',
  'm;dur=1e',
  'm;dur=1e+',
  'm;dur=1.2.3',
  'm;dur=12abc',
  'm;dur=1_000',
  'm;dur=0x10',
  'm;dur=abc',
  'm;dur=.',
  'm;dur=-',
  'm;dur=Infinity',
  'm;dur=-Infinity',
  'm;dur=NaN',
  'm;dur=1e400',
  'm;dur=-1e400',
  'm;dur=1e-400',
  'm;dur=5e-324',
  'm;dur=1.7976931348623157e308',
  'm;dur=123456789012345678901234567890',
  'm;dur=0.1234567890123456789',
  'm;dur="12"',
  'm;dur=" 12 "',
  'm;dur="\t7"',
  'm;dur="\u00a05"',
  'm;dur="1\\2"',
  'm;dur="\t 3"',
  'm;dur="3 "',
  'm;dur="   "',
  'm;dur="+"',
  'm;dur=-1e-400',
  'm;dur=',
  'm;dur',

  // Descriptions, quoting and escapes.
  'm;desc="a \\"quoted\\" word"',
  'm;desc="back\\\\slash"',
  'm;desc="\\a\\b\\c"',
  'm;desc=""',
  'm;desc=',
  'm;desc',
  'm;desc="a,b;c=d", n',
  'm;desc="unterminated, n;dur=1',
  'm;desc="ends in a backslash\\',
  'm;desc="x" garbage;dur=1, n',
  'm;desc=token garbage;dur=1',
  'm;desc=a=b',
  'm;desc=a"b"',
  'm;desc="tab\there"',
  'm;desc="caf\u00e9 \u00fc\u00ff\u00a0\u0080"',
  'm;desc=caf\u00e9',
  'm;desc="\u00ff\\\u00e9"',
  `m;desc="${LONG_DESCRIPTION}"`,

  // Whitespace around separators.
  '  m  ;  dur  =  1  ;  desc  =  "x"  ,  n  ',
  'm\t;\tdur\t=\t2\t,\tn',
  'm ; dur = 1 , n ; desc = y',

  // Parameter names: case, duplicates, unknown ones, missing values.
  'm;DUR=1;DESC=x',
  'm;dUr=2;DeSc="y"',
  'm;dur=1;dur=2',
  'm;dur=1;desc=x;dur=2;desc=y',
  'm;desc="x";desc',
  'm;desc=a;desc=b',
  'm;dur;dur=5',
  'm;dur=;dur=5',
  'm;dur=abc;dur=5',
  'm;desc="unterminated;desc=b',
  'm;foo=bar;dur=1',
  'm;foo;dur=1;desc=x',
  'm;foo="x;y";dur=1',
  'm;foo="x,y";dur=1',
  'm;dur;desc',
  'm;duration=1;description=x',

  // Metric names that are not tokens.
  '"quoted";dur=1, n',
  'my metric;dur=1',
  'a/b;dur=1',
  'a@b;dur=1',
  'a:b;dur=1',
  'a?b;dur=1',
  'a(b);dur=1',
  '[x];dur=1, n',
  '{braces};dur=1',
  "!#$%&'*+-.^_`|~;dur=1",
  'caf\u00e9;dur=1',
  '\u00e9t\u00e9;dur=1, n',
  '=x;dur=1, n',
  ';dur=1, n',
  'a"x,y";dur=1',

  // Empty entries and separators in odd places.
  '',
  '   ',
  ',',
  ',,,',
  ', a',
  'a,',
  'a,,b',
  'a, ,b',
  'a;',
  'a;;dur=1, b',
  'a; , b',
  'a;=1, b',
  'a;dur=1;, b',

  // Garbage after a metric or a parameter.
  'm garbage;dur=1, n',
  'm;dur=1 garbage, n;dur=2',
  'm;dur=1 "quoted, n" x, o',
  'm;dur 5, n',
  'a;dur=1 b;dur=2',
  'a b c',
  'a;dur=1;desc="x"y;z, b',

  // Several header lines, joined by the browser.
  ['a;dur=1', 'b;dur=2'],
  ['a'],
  [],
  ['a', '', 'b'],
  ['', 'a'],
  ['a', '   '],
  ['a;desc="x ', ' y"'],
  ['a;desc="x', 'y"'],
  ['a;desc="x\t', 'y"'],
  ['a,', 'b'],
  ['bad"', 'b'],
  ['a;dur=1 ', ' ;desc=x'],
  ['  a  ', '  b  '],

  // What formatServerTiming and formatTraceContext write (checked in test/chromium-conformance.test.ts).
  'db_query;dur=12.346;desc="SELECT \\"users\\" \\\\ path", cache_hit;dur=0, span;desc="unicode ? ??", a_b_c;desc="tab?here"',
  'total;dur=1000000000000, tiny;dur=0.001, none;desc="", token;desc=atl',
  'traceparent;desc="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", trace;desc=00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
];

/** The Chromium used when none is named: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export function defaultChromiumPath() {
  return CHROMIUM_PATH;
}

/** A duration as the fixture stores it: a number, or a string for what JSON cannot hold. */
function encodeDuration(duration) {
  if (Object.is(duration, -0)) return '-0';
  return Number.isFinite(duration) ? duration : String(duration);
}

/** Reverses {@link encodeDuration}. */
export function decodeDuration(duration) {
  return typeof duration === 'number' ? duration : Number(duration);
}

/**
 * Serves each header value as the Server-Timing of a page, opens the pages in Chromium and returns what
 * the navigation entry exposes for each, in order, with durations as plain numbers.
 */
export async function recordServerTiming(headers, executablePath = defaultChromiumPath()) {
  const server = createServer((request, response) => {
    const match = /^\/case\/(\d+)$/.exec(request.url ?? '');
    const header = match ? headers[Number(match[1])] : undefined;
    if (header === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.setHeader('Server-Timing', header);
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    // A Buffer body makes Node send the header on its own, as Latin-1; with a string body it would send
    // header and body together as UTF-8.
    response.end(Buffer.from('<!doctype html><title>server-timing case</title>'));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const origin = `http://127.0.0.1:${server.address().port}`;
    const browser = await launchChromium(executablePath);
    try {
      const page = await browser.newPage();
      const results = [];
      for (let index = 0; index < headers.length; index++) {
        await page.goto(`${origin}/case/${index}`);
        results.push(await page.evaluate(readNavigationServerTiming));
      }
      return { chromiumVersion: browser.version(), results };
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
  }
}

/** Runs in the page: `{ name, duration, description }` of each metric of the navigation entry. */
function readNavigationServerTiming() {
  return performance.getEntriesByType('navigation')[0].serverTiming.map((metric) => metric.toJSON());
}

/**
 * JSON laid out as Biome formats it: objects one member a line, arrays of strings on one line when they
 * fit in its 110 columns, exponents without `+`. `column` is where the value starts on its line.
 */
function toFixtureJson(value, indent = '', column = 0) {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inline = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    if (value.every((item) => typeof item === 'string') && column + inline.length + 1 <= 110) return inline;
    return `[\n${value.map((item) => inner + toFixtureJson(item, inner, inner.length)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(([key, item]) => {
      const start = `${inner}${JSON.stringify(key)}: `;
      return start + toFixtureJson(item, inner, start.length);
    });
    return `{\n${members.join(',\n')}\n${indent}}`;
  }
  return typeof value === 'number' ? String(value).replace('e+', 'e') : JSON.stringify(value);
}

async function main() {
  const executablePath = defaultChromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: apt-get install -y chromium, or set CHROMIUM_PATH.`);
  }
  const started = performance.now();
  const { chromiumVersion, results } = await recordServerTiming(CASES, executablePath);
  const cases = CASES.map((header, index) => ({
    header,
    expected: results[index].map((metric) => ({ ...metric, duration: encodeDuration(metric.duration) })),
  }));
  writeFileSync(FIXTURE, `${toFixtureJson({ chromiumVersion, cases })}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `Recorded ${cases.length} cases with Chromium ${chromiumVersion} in ${seconds} s: ${fileURLToPath(FIXTURE)}`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
