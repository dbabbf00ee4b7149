// Runs in the service-worker test's page: once the worker controls the page, fetches a response the worker
// builds, one it fetches from the network, and one from its Cache Storage, and records what the browser's
// entries and the reader say about each.
import type { ServerTiming } from '../../dist/index.js';
import { getServerTiming } from '../../dist/index.js';

/** One fetched response, as the test reads it. */
export type WorkerResponseRecord = {
  path: string;
  transferSize: number;
  workerStart: number;
  serverTiming: string[];
  /** The reader's result; `ignored` is `null` rather than undefined, which not every driver carries over. */
  reading: (Pick<ServerTiming, 'metrics'> & { ignored: ServerTiming['ignored'] | null }) | undefined;
};

declare global {
  interface Window {
    workerRecords: WorkerResponseRecord[] | { error: string };
  }
}

async function controlled(): Promise<void> {
  await navigator.serviceWorker.register('/sw/worker.js', { scope: '/sw/' });
  await navigator.serviceWorker.ready;
  if (navigator.serviceWorker.controller) return;
  await new Promise((resolve) =>
    navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }),
  );
}

async function record(): Promise<WorkerResponseRecord[]> {
  await controlled();
  const records: WorkerResponseRecord[] = [];
  for (const path of ['/sw/built', '/sw/network', '/sw/from-cache-storage']) {
    await (await fetch(path)).text();
    const url = new URL(path, location.href).href;
    const entry = performance.getEntriesByName(url).at(-1) as PerformanceResourceTiming | undefined;
    const reading = getServerTiming(url);
    records.push({
      path,
      transferSize: entry?.transferSize ?? -1,
      workerStart: entry?.workerStart ?? -1,
      serverTiming: entry?.serverTiming.map((metric) => metric.name) ?? [],
      reading: reading && { metrics: reading.metrics, ignored: reading.ignored ?? null },
    });
  }
  return records;
}

record().then(
  (records) => {
    window.workerRecords = records;
  },
  (error) => {
    window.workerRecords = { error: String(error) };
  },
);
