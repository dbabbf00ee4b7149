import type { ParsedServerTimingMetric } from './types.js';

const TAB = 0x09;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;

/**
 * Code units below 128 that Chromium's header tokenizer takes as part of a token: printable ASCII and
 * DEL, except space and `"(),/:;<=>?@[\]`. Unlike RFC 9110 it accepts `{`, `}` and DEL.
 */
const TOKEN_CODES = /* @__PURE__ */ tokenCodes();

function tokenCodes(): Uint8Array {
  const codes = new Uint8Array(128);
  for (let code = 0x21; code < 0x80; code++) codes[code] = 1;
  for (const separator of ' "(),/:;<=>?@[\\]') codes[separator.charCodeAt(0)] = 0;
  return codes;
}

/** What Chromium reads as a number: the whole text, after leading ASCII whitespace. */
const CHROMIUM_NUMBER = /^[\t\n\v\f\r ]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses `Server-Timing` header values exactly as Chromium fills `serverTiming` (see the conformance
 * fixture): several lines are trimmed and joined with `", "`; text after a name or value is skipped up to
 * the next `,` or `;`; parsing stops at an entry or parameter that does not start with a token; the first
 * `dur`/`desc` wins (case-insensitive); a `dur` that is not wholly a number is `0`. Never throws.
 */
export function parseServerTiming(
  value: string | readonly string[] | null | undefined,
): ParsedServerTimingMetric[] {
  const header = joinHeaderLines(value);
  const length = header.length;
  const metrics: ParsedServerTimingMetric[] = [];
  let index = 0;

  const skipWhitespace = (): void => {
    while (index < length && isWhitespace(header.charCodeAt(index))) index++;
  };
  /** Consumes a token and the whitespace after it; `''` when there is no token here. */
  const consumeToken = (): string => {
    const start = index;
    while (index < length && isTokenCode(header.charCodeAt(index))) index++;
    const token = header.slice(start, index);
    skipWhitespace();
    return token;
  };
  /** Consumes a quoted string from its opening quote; `undefined` (and the rest of the input) when unterminated. */
  const consumeQuotedString = (): string | undefined => {
    let text = '';
    let chunkStart = ++index;
    while (index < length) {
      const code = header.charCodeAt(index);
      if (code === QUOTE) {
        text += header.slice(chunkStart, index++);
        return text;
      }
      if (code === BACKSLASH) {
        text += header.slice(chunkStart, index++);
        if (index === length) return undefined;
        chunkStart = index;
      }
      index++;
    }
    return undefined;
  };
  const skipToSeparator = (): void => {
    while (index < length) {
      const code = header.charCodeAt(index);
      if (code === COMMA || code === SEMICOLON) return;
      index++;
    }
  };

  skipWhitespace();
  while (index < length) {
    const name = consumeToken();
    if (name === '') break;
    const metric: ParsedServerTimingMetric = { name, duration: 0, description: '' };
    let hasDuration = false;
    let hasDescription = false;
    skipToSeparator();
    while (header.charCodeAt(index) === SEMICOLON) {
      index++;
      skipWhitespace();
      const parameter = consumeToken().toLowerCase();
      if (parameter === '') break;
      let parameterValue = '';
      if (header.charCodeAt(index) === EQUALS) {
        index++;
        skipWhitespace();
        parameterValue = (header.charCodeAt(index) === QUOTE ? consumeQuotedString() : consumeToken()) ?? '';
        skipToSeparator();
      }
      if (parameter === 'dur' && !hasDuration) {
        metric.duration = toChromiumNumber(parameterValue);
        hasDuration = true;
      } else if (parameter === 'desc' && !hasDescription) {
        metric.description = parameterValue;
        hasDescription = true;
      }
    }
    metrics.push(metric);
    if (header.charCodeAt(index) !== COMMA) break;
    index++;
    skipWhitespace();
  }
  return metrics;
}

/** One header value from several lines, as the browser combines them; `''` for anything else. */
function joinHeaderLines(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    if (!Array.isArray(value)) return '';
    let joined: string | undefined;
    for (let index = 0; index < value.length; index++) {
      const line: unknown = value[index];
      if (typeof line !== 'string') continue;
      const trimmed = trimWhitespace(line);
      joined = joined === undefined ? trimmed : `${joined}, ${trimmed}`;
    }
    return joined ?? '';
  } catch {
    // A proxy or a getter that throws: no header.
    return '';
  }
}

function trimWhitespace(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && isWhitespace(line.charCodeAt(start))) start++;
  while (end > start && isWhitespace(line.charCodeAt(end - 1))) end--;
  return line.slice(start, end);
}

/** The whole text as a number, or `0` when it is not one (no `Infinity`, hex or trailing text). */
function toChromiumNumber(text: string): number {
  return CHROMIUM_NUMBER.test(text) ? Number(text) : 0;
}

function isWhitespace(code: number): boolean {
  return code === SPACE || code === TAB;
}

function isTokenCode(code: number): boolean {
  return code < 128 && TOKEN_CODES[code] === 1;
}
