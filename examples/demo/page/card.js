// One card per response: the browser's timing of the request (from its timing entry) and, under it, the
// server's metrics (from the entry's serverTiming), on one millisecond axis whose 0 is the fetch start.

const COLORS = {
  postgresql: '#336791',
  redis: '#d6453d',
  http: '#2f9e6e',
  middleware: '#8b93a1',
  handler: '#6b7280',
};
const PALETTE = ['#7c3aed', '#0891b2', '#c2410c', '#db2777', '#4d7c0f'];
const IGNORED = {
  cache:
    "Served from the browser's cache: its Server-Timing (trace id included) is the stored copy from an earlier response, so it is ignored.",
  'cross-origin':
    'Cross-origin without a matching Timing-Allow-Origin: the browser hides the server timings.',
  unknown:
    'This browser does not say whether the response came from its cache, so its Server-Timing may be a stored copy: it is ignored.',
  unsupported: 'This browser does not expose serverTiming.',
};

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function ms(value) {
  return `${value.toFixed(1)} ms`;
}

function colorOf(name) {
  if (COLORS[name]) return COLORS[name];
  let hash = 0;
  for (const character of name) hash = (hash * 31 + character.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length];
}

/** A round step (1, 2 or 5 × 10ⁿ ms) that cuts `span` into about four parts. */
function tickStep(span) {
  const rough = Math.max(span, 1) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((factor) => factor * power).find((step) => step >= rough);
}

function traceLine({ traceContext, ignored }, traceUrl) {
  const line = element('div', 'trace');
  if (ignored) {
    line.append(element('span', 'badge stale', `ignored: ${ignored}`));
    return line;
  }
  if (traceContext === undefined) {
    line.append(element('span', 'muted', 'no trace context'));
    return line;
  }
  const { traceId, spanId, sampled } = traceContext;
  const id = element(traceUrl ? 'a' : 'code', 'trace-id');
  id.append(element('b', '', traceId.slice(0, 8)), traceId.slice(8));
  if (traceUrl) {
    id.href = traceUrl.replace('{traceId}', traceId);
    id.target = '_blank';
    id.rel = 'noreferrer';
  }
  line.append('trace ', id, ' span ', element('code', '', spanId));
  line.append(element('span', `badge ${sampled ? 'sampled' : ''}`, sampled ? 'sampled' : 'not sampled'));
  return line;
}

function row(chart, { label, detail, start, duration, color, className }) {
  const name = element('div', 'label');
  name.append(element('span', '', label));
  if (detail) name.append(element('small', '', detail));
  const track = element('div', 'track');
  const bar = element('div', 'bar');
  bar.style.left = `${(start / chart.end) * 100}%`;
  bar.style.width = `max(2px, ${(duration / chart.end) * 100}%)`;
  bar.style.background = color;
  track.append(bar);
  const value = element('div', 'value', ms(duration));
  const line = element('div', `row ${className}`);
  line.append(name, track, value);
  chart.node.append(line);
}

function metricRow(chart, metric, start, className) {
  row(chart, {
    label: metric.name,
    detail: metric.description,
    start,
    duration: metric.duration,
    color: colorOf(metric.name.slice(metric.name.lastIndexOf('.') + 1)),
    className,
  });
}

/** A card for one navigation or resource entry and its reading by @otel-server-timing/browser. */
export function renderCard(timing, entry, { title, traceUrl }) {
  const card = element('article', `card${timing.ignored ? ' ignored' : ''}`);
  const url = new URL(timing.url);
  const head = element('div', 'head');
  head.append(element('span', 'kind', title), element('span', 'url', `GET ${url.pathname}`));
  head.append(traceLine(timing, traceUrl));
  card.append(head);

  const firstByte = entry.responseStart - entry.fetchStart;
  const duration = entry.responseEnd - entry.fetchStart;
  const numbers = element('div', 'numbers');
  const facts = [
    ['fetch start', ms(entry.fetchStart)],
    ['first byte after', ms(firstByte)],
    ['duration', ms(duration)],
    ['transferred', entry.transferSize ? `${(entry.transferSize / 1024).toFixed(1)} kB` : '0 (cache)'],
  ];
  for (const [name, value] of facts) numbers.append(element('span', '', `${name} `), element('b', '', value));
  card.append(numbers);

  const total = timing.metrics.find((metric) => metric.name === 'total')?.duration;
  const metrics = timing.metrics.filter((metric) => metric.name !== 'total');
  const timed = metrics.filter((metric) => metric.duration > 0);
  const serverSpan = total ?? Math.max(0, ...timed.map((metric) => metric.duration));
  const serverStart = Math.max(0, firstByte - serverSpan);

  const step = tickStep(Math.max(duration, serverStart + serverSpan));
  const steps = Math.ceil(Math.max(duration, serverStart + serverSpan, 1) / step);
  const chart = { node: element('div', 'chart'), end: steps * step };
  chart.node.style.setProperty('--steps', String(steps));
  const ticks = element('div', 'row ticks');
  const scale = element('div', 'track');
  for (let index = 0; index <= steps; index++) {
    const tick = element('span', '', `${Number((index * step).toFixed(1))}`);
    tick.style.left = `${(index / steps) * 100}%`;
    scale.append(tick);
  }
  ticks.append(element('div', 'label'), scale, element('div', 'value', 'ms'));
  chart.node.append(ticks);

  row(chart, {
    label: 'request → first byte',
    detail: 'browser',
    start: 0,
    duration: firstByte,
    color: '#60a5fa',
    className: 'browser',
  });
  row(chart, {
    label: 'download',
    detail: 'browser',
    start: firstByte,
    duration: entry.responseEnd - entry.responseStart,
    color: '#93c5fd',
    className: 'browser',
  });
  if (total !== undefined) {
    row(chart, {
      label: 'total',
      detail: 'server',
      start: serverStart,
      duration: total,
      color: '#334155',
      className: 'server',
    });
  }
  // Metrics folded from a downstream service carry its prefix (`shipping.postgresql`): they are drawn
  // nested under the outgoing calls (`http`) that brought them, or last when no call metric is shown.
  const folded = timed.filter((metric) => metric.name.includes('.'));
  const own = timed.filter((metric) => !metric.name.includes('.'));
  const drawFolded = () => {
    for (const metric of folded) metricRow(chart, metric, serverStart, 'server metric downstream');
  };
  for (const metric of own) {
    metricRow(chart, metric, serverStart, 'server metric');
    if (metric.name === 'http') drawFolded();
  }
  if (!own.some((metric) => metric.name === 'http')) drawFolded();
  card.append(chart.node);

  const flags = metrics.filter((metric) => !(metric.duration > 0));
  if (flags.length > 0) {
    const chips = element('div', 'chips');
    for (const metric of flags)
      chips.append(
        element('span', 'chip', `${metric.name}${metric.description ? `: ${metric.description}` : ''}`),
      );
    card.append(chips);
  }
  if (timing.ignored) card.append(element('p', 'note', IGNORED[timing.ignored]));
  return card;
}
