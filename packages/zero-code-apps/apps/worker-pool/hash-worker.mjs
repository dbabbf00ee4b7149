import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';

parentPort.postMessage(
  workerData.map((word) => [word, createHash('sha256').update(word).digest('hex').slice(0, 12)]),
);
