import { Worker } from 'node:worker_threads';
import type { ExportPlan } from './query.ts';

/** What the export worker is handed: everything it needs to encode a planned export on its own connection. */
export interface ExportWork {
  /** The database to open (its file path or full URL: db/target.ts reopenTarget). */
  dbPath: string;
  plan: ExportPlan;
  dataFile: string;
  /** ISO time for the dataset card. */
  generatedAt: string;
}

/** Messages from the export worker: one per pull. */
export type WorkerMessage = { type: 'chunk'; bytes: Uint8Array } | { type: 'done' } | { type: 'error'; message: string };

const HIGH_WATER_MARK = 4; // chunks (~256 KiB) ahead of the client

/**
 * A pull-driven body over chunks made in place: the next chunk is produced only when the client
 * has taken the previous ones, so a slow download never buffers the dataset, and a cancelled
 * one releases the query.
 */
export function pullStream(chunks: Generator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        try {
          const next = chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (err) {
          controller.error(err);
        }
      },
      cancel() {
        chunks.return(undefined);
      },
    },
    { highWaterMark: HIGH_WATER_MARK },
  );
}

/** Chunks the worker may make ahead of the client: it runs ahead by this many, then waits for credit. */
const WORKER_AHEAD = 8;

/**
 * The same pull-driven body, with the chunks made by a worker thread on its own read-only
 * connection (its own WAL snapshot): the server's thread only passes bytes on. The worker runs
 * at most WORKER_AHEAD chunks ahead of the client (each chunk the client takes returns one
 * credit), so memory stays at a few chunks whatever the client's speed, and a cancelled download
 * ends the worker. The worker is a small JavaScript file that registers tsx and then loads the
 * TypeScript entry, since a worker does not inherit the parent's loader.
 */
export function offThreadStream(work: ExportWork): ReadableStream<Uint8Array> {
  let worker: Worker | null = null;
  // What the worker said, in order; an error or an early exit arrives as a message too, so a pull never waits for ever.
  const inbox: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  const deliver = (m: WorkerMessage) => {
    inbox.push(m);
    wake?.();
  };
  const start = () => {
    const w = new Worker(new URL('./worker/boot.mjs', import.meta.url), { workerData: { entry: new URL('./worker/entry.ts', import.meta.url).href, work, ahead: WORKER_AHEAD } });
    w.on('message', deliver);
    w.on('error', (err) => deliver({ type: 'error', message: err.message }));
    w.on('exit', () => deliver({ type: 'error', message: 'the export worker stopped before the end of the file' }));
    return w;
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        worker ??= start();
        while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        const message = inbox.shift()!;
        if (message.type === 'chunk') {
          worker.postMessage('credit');
          return controller.enqueue(message.bytes);
        }
        if (message.type === 'done') controller.close();
        else controller.error(new Error(message.message));
        void worker.terminate();
      },
      cancel() {
        void worker?.terminate();
      },
    },
    { highWaterMark: HIGH_WATER_MARK },
  );
}
