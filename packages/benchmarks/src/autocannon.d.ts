// autocannon ships no types; this benchmark uses only what lib/load.mjs calls.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  type Result = { errors: number; timeouts: number };
  type Options = {
    url: string;
    connections: number;
    amount?: number | undefined;
    duration?: number;
    pipelining: number;
    timeout: number;
  };
  export default function autocannon(
    options: Options,
    done: (error: Error | null, result: Result) => void,
  ): EventEmitter;
}
