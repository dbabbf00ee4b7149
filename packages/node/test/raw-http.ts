import net from 'node:net';

/** An HTTP/1.x response as it came over the wire. */
export type RawResponse = {
  statusLine: string;
  headers: [string, string][];
  body: string;
  trailers: [string, string][];
  chunked: boolean;
};

function parseFields(lines: string[]): [string, string][] {
  return lines.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
}

/** Decodes a chunked body and its trailer section. */
function decodeChunked(data: string): { body: string; trailers: [string, string][] } {
  let body = '';
  let position = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', position);
    const size = Number.parseInt(data.slice(position, lineEnd), 16);
    position = lineEnd + 2;
    if (size === 0) break;
    body += data.slice(position, position + size);
    position += size + 2;
  }
  const trailerText = data.slice(position, data.indexOf('\r\n\r\n', position - 2) + 2);
  const lines = trailerText.split('\r\n').filter((line) => line !== '');
  return { body, trailers: parseFields(lines) };
}

/** Sends `head` verbatim (a request line and header lines, without the final blank line) and reads until close. */
export function rawRequest(port: number, head: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const headEnd = data.indexOf('\r\n\r\n');
      const [statusLine = '', ...headerLines] = data.slice(0, headEnd).split('\r\n');
      const headers = parseFields(headerLines);
      const rest = data.slice(headEnd + 4);
      const chunked = headers.some(([name, value]) => name === 'transfer-encoding' && /chunked/i.test(value));
      const decoded = chunked ? decodeChunked(rest) : { body: rest, trailers: [] };
      resolve({ statusLine, headers, chunked, ...decoded });
    });
    socket.write(`${head}\r\nConnection: close\r\n\r\n`);
  });
}

export function field(fields: [string, string][], name: string): string | undefined {
  return fields.find(([fieldName]) => fieldName === name)?.[1];
}
