// Types of index.mjs, for the TypeScript examples (NestJS).
import type { Server } from 'node:net';

export function listenPort(): number;
export function announce<S extends Server>(server: S, path?: string, note?: string): S;
export function sleep(ms: number): Promise<void>;
export function httpGet(url: string | URL): Promise<string>;
