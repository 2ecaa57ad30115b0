import { Worker } from 'node:worker_threads';
import type { Db } from '../../db/client.ts';
import { OutcomeWriter, type Outcome, type WriteTotals } from './writer.ts';

/** Where a run's outcomes go to be written. */
export interface OutcomeSink {
  /** Writes a batch (one transaction); resolves with the counters it moved. */
  write(batch: Outcome[]): Promise<WriteTotals>;
  /** Waits for every write and releases what the sink holds. */
  close(): Promise<void>;
}

/** Writes in this thread, on the job's own connection. */
export function inlineSink(db: Db, runId: number, codebookId: number, now: () => Date): OutcomeSink {
  const writer = new OutcomeWriter(db, runId, codebookId, now);
  return {
    write: async (batch) => writer.write(batch),
    close: async () => {},
  };
}

/** main → writer thread */
export type ToWriter = { type: 'write'; seq: number; batch: Outcome[] } | { type: 'close' };
/** writer thread → main */
export type FromWriter = { type: 'ready' } | { type: 'written'; seq: number; totals: WriteTotals } | { type: 'error'; seq: number; message: string };

/** What a writer thread is started with. */
export interface WriterData {
  entry: string;
  dbPath: string;
  runId: number;
  codebookId: number;
  /** The server's write gate (db/writeGate.ts): the writer yields to waiting reviews and announces its commits. */
  gate?: SharedArrayBuffer;
}

/**
 * Writes in a thread of its own with its own connection, so a CPU-bound provider (the local
 * baseline) classifies the next batch while the previous one is being written: on two cores
 * the run goes at the pace of the slower of the two instead of their sum. Batches are written
 * in the order they were sent.
 */
export function threadSink(dbPath: string, runId: number, codebookId: number, gate?: SharedArrayBuffer): OutcomeSink {
  const data: WriterData = { entry: new URL('./writerThread.ts', import.meta.url).href, dbPath, runId, codebookId, ...(gate ? { gate } : {}) };
  const worker = new Worker(new URL('../jobs/boot.mjs', import.meta.url), { workerData: data });
  const waiting = new Map<number, { resolve: (t: WriteTotals) => void; reject: (e: Error) => void }>();
  let seq = 0;
  let failure: Error | null = null;
  const fail = (err: Error) => {
    failure ??= err;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  worker.on('message', (m: FromWriter) => {
    if (m.type === 'ready') return;
    const w = waiting.get(m.seq);
    waiting.delete(m.seq);
    if (m.type === 'written') w?.resolve(m.totals);
    else fail(new Error(`writing outcomes failed: ${m.message}`));
  });
  worker.on('error', fail);
  worker.on('messageerror', fail);
  let closing = false;
  // A writer that stops before it was told to fails every write, the ones in flight and the ones
  // still to come: a batch posted to a stopped thread would otherwise wait for its answer forever.
  const exited = new Promise<void>((resolve) =>
    worker.on('exit', (code) => {
      if (!closing || waiting.size > 0) fail(new Error(`the outcome writer thread stopped (exit code ${code}) with the run not fully written; resume the run to continue`));
      resolve();
    }),
  );
  return {
    write(batch) {
      if (failure) return Promise.reject(failure);
      const id = ++seq;
      return new Promise<WriteTotals>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ type: 'write', seq: id, batch } satisfies ToWriter);
      });
    },
    async close() {
      closing = true;
      worker.postMessage({ type: 'close' } satisfies ToWriter);
      await exited;
    },
  };
}
