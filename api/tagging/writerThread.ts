import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../../db/client.ts';
import { WriteGate } from '../../db/writeGate.ts';
import type { FromWriter, ToWriter, WriterData } from './sink.ts';
import { OutcomeWriter, type Outcome, type WriteTotals } from './writer.ts';

/** A run's outcome writer thread (see threadSink): writes the batches it is sent, in order, and ends on `close`. */
const { dbPath, runId, codebookId, gate: gateBuffer } = workerData as WriterData;
const port = parentPort!;
const db = openDb(dbPath);
// 64 MiB of page cache (the default is 2 MiB): a run's writes land on index pages all over the
// suggestions and items tables, which a small cache reads again and again.
db.$client.pragma('cache_size = -65536');
const writer = new OutcomeWriter(db, runId, codebookId, () => new Date());
const send = (m: FromWriter) => port.postMessage(m);
const gate = gateBuffer ? new WriteGate(gateBuffer) : null;

/**
 * ms a batch waits at most for reviews that want the write lock (a review's transaction takes
 * a few ms; the run must keep going while reviews keep coming), and outcomes per transaction
 * while reviews wait (a whole batch held the lock 29 ms, p95 119 ms, in bench:load).
 */
const YIELD_MAX_MS = 50;
const SHARED_CHUNK = 4;

/** Writes a batch in turns with the server's reviews (db/writeGate.ts), or in one transaction without a gate. */
function write(batch: Outcome[]): WriteTotals {
  if (!gate) return writer.write(batch);
  const totals: WriteTotals = { done: 0, failed: 0, cached: 0, tokensIn: 0, tokensOut: 0, costUsd: 0 };
  gate.writeInTurns(
    batch,
    (chunk) => {
      const t = writer.write(chunk);
      for (const k of Object.keys(totals) as (keyof WriteTotals)[]) totals[k] += t[k];
    },
    { maxWaitMs: YIELD_MAX_MS, sharedChunk: SHARED_CHUNK },
  );
  return totals;
}

port.on('message', (m: ToWriter) => {
  if (m.type === 'close') {
    db.$client.close();
    port.close();
    return;
  }
  try {
    send({ type: 'written', seq: m.seq, totals: write(m.batch) });
  } catch (err) {
    send({ type: 'error', seq: m.seq, message: err instanceof Error ? err.message : String(err) });
  }
});
send({ type: 'ready' });
