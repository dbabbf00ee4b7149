import { type Attributes, diag, type HrTime, type Span, SpanKind } from '@opentelemetry/api';
import { linkServerTiming } from './link-server-timing.js';
import { readServerTiming } from './read-server-timing.js';
import { ResourceEntries } from './resource-entries.js';
import type { ServerTimingLinkOptions, TimingEntry } from './types.js';

const OWNER = 'ServerTimingLinkProcessor';
/** Span names of `@opentelemetry/instrumentation-document-load`. */
const DOCUMENT_FETCH = 'documentFetch';
const RESOURCE_FETCH = 'resourceFetch';

/** What the processor reads and writes on an SDK span that is ending (`Span` of `@opentelemetry/sdk-trace-base`). */
export type EndingSpan = Pick<Span, 'addLink' | 'setAttributes' | 'spanContext'> & {
  readonly name: string;
  readonly kind: SpanKind;
  readonly attributes: Attributes;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
};

function milliseconds(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

function checkOptions(options: unknown): ServerTimingLinkOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${OWNER}: options must be an object, got ${String(options)}.`);
  }
  for (const [key, value] of Object.entries(options)) {
    if (key === 'maxClockSkew') {
      if (value !== undefined && !(typeof value === 'number' && value >= 0 && Number.isFinite(value))) {
        throw new TypeError(
          `${OWNER}: "maxClockSkew" must be a number of milliseconds, 0 or more, got ${value}.`,
        );
      }
      continue;
    }
    if (key !== 'metricAttributes') {
      throw new TypeError(
        `${OWNER}: unknown option "${key}"; the options are "metricAttributes" and "maxClockSkew".`,
      );
    }
    if (value !== undefined && typeof value !== 'boolean') {
      throw new TypeError(`${OWNER}: "metricAttributes" must be a boolean, got ${typeof value}.`);
    }
  }
  return options;
}

/**
 * A `SpanProcessor` for the web SDK that links the browser's request spans to the server spans that
 * answered them, as told by each response's `Server-Timing` (`traceparent` or `trace` metric):
 * - `documentFetch` (instrumentation-document-load) → the navigation entry;
 * - fetch and XHR spans (kind `CLIENT` with `url.full` or `http.url`) and `resourceFetch` spans → the
 *   resource entry of that URL that started during the span.
 *
 * It adds a span link and `server_timing.*` attributes while the span ends, through the SDK's `onEnding`
 * hook (`@opentelemetry/sdk-trace-base` 2.3 and later). Entries served from cache are not linked; they get
 * `server_timing.ignored: 'cache'`.
 */
export class ServerTimingLinkProcessor {
  readonly #options: ServerTimingLinkOptions;
  readonly #entries: ResourceEntries;
  /** Whether the SDK has called `onEnding` (so far, for every span it ended); `undefined` before the first end. */
  #sdkCallsOnEnding: boolean | undefined;

  constructor(options?: ServerTimingLinkOptions) {
    this.#options = checkOptions(options);
    this.#entries = new ResourceEntries();
  }

  onStart(): void {}

  /** Links the span to its server span; never throws. */
  onEnding(span: EndingSpan): void {
    this.#sdkCallsOnEnding = true;
    try {
      const entry = this.#entryOf(span);
      if (entry) linkServerTiming(span, readServerTiming(entry, this.#options), this.#options);
    } catch (error) {
      diag.error(`${OWNER}: could not link span "${span.name}" to its server span`, error);
    }
  }

  /** Warns once when the SDK ends spans without calling `onEnding` first (SDK older than 2.3). */
  onEnd(): void {
    if (this.#sdkCallsOnEnding !== undefined) return;
    this.#sdkCallsOnEnding = false;
    diag.warn(
      `${OWNER}: this OpenTelemetry SDK does not call SpanProcessor.onEnding (added in @opentelemetry/sdk-trace-base 2.3.0), so no span is linked; upgrade the SDK or call linkServerTiming from instrumentation hooks.`,
    );
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.#entries.disconnect();
    return Promise.resolve();
  }

  #entryOf(span: EndingSpan): TimingEntry | undefined {
    if (span.name === DOCUMENT_FETCH) {
      return performance.getEntriesByType('navigation')[0] as TimingEntry | undefined;
    }
    if (span.kind !== SpanKind.CLIENT && span.name !== RESOURCE_FETCH) return undefined;
    const url = span.attributes['url.full'] ?? span.attributes['http.url'];
    if (typeof url !== 'string') return undefined;
    // Span times are epoch-based (Date.now() at span start); entries use the performance timeline.
    const timelineOrigin = Date.now() - performance.now();
    const start = milliseconds(span.startTime) - timelineOrigin;
    const end = milliseconds(span.endTime) - timelineOrigin;
    const { traceId } = span.spanContext();
    return span.name === RESOURCE_FETCH
      ? this.#entries.find(url, start, end, traceId)
      : this.#entries.claim(url, start, end, traceId);
  }
}
