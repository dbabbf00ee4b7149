// Hashes a few strings in a worker thread and prints the digests.
import { Worker } from 'node:worker_threads';

const worker = new Worker(new URL('./hash-worker.mjs', import.meta.url), {
  workerData: ['tea', 'coffee', 'cocoa'],
});
worker.on('message', (digests) => {
  for (const [word, digest] of digests) console.log(`${word} ${digest}`);
});
worker.on('exit', (code) => console.log(`worker exited with ${code}`));
