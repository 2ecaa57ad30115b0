import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { WriteGate } from './writeGate.ts';

/**
 * A scripted bulk writer for writeGate.test.ts: a thread with its own connection that takes the
 * write lock, commits and writes batches through the gate when the test says so.
 */
export type ToTestWriter =
  | { type: 'hold' }
  | { type: 'commitWhenWaited'; maxWaitMs: number }
  | { type: 'batches'; entries: number; maxWaitMs: number; sharedChunk: number }
  | { type: 'die' };

const { dbPath, gate: buffer } = workerData as { dbPath: string; gate: SharedArrayBuffer };
const port = parentPort!;
const sqlite = new Database(dbPath);
sqlite.pragma('busy_timeout = 5000');
const gate = new WriteGate(buffer);
const insert = sqlite.prepare('INSERT INTO log (who) VALUES (?)');
const pause = new Int32Array(new SharedArrayBuffer(4));

port.on('message', (m: ToTestWriter) => {
  if (m.type === 'hold') {
    sqlite.exec('BEGIN IMMEDIATE');
    insert.run('writer batch 1');
    port.postMessage('holding');
  } else if (m.type === 'commitWhenWaited') {
    // Commits only once the test's transaction waits for the lock, then writes its next batch in turn.
    while (gate.waiting() === 0) Atomics.wait(pause, 0, 0, 1);
    sqlite.exec('COMMIT');
    gate.committed();
    gate.writeInTurns(['writer batch 2'], (chunk) => sqlite.transaction(() => chunk.forEach((who) => insert.run(who)))(), { maxWaitMs: m.maxWaitMs, sharedChunk: 1 });
    port.postMessage('done');
  } else if (m.type === 'batches') {
    const entries = Array.from({ length: m.entries }, (_, i) => `entry ${i + 1}`);
    let transactions = 0;
    gate.writeInTurns(
      entries,
      (chunk) => {
        transactions++;
        sqlite.transaction(() => chunk.forEach((who) => insert.run(who)))();
      },
      { maxWaitMs: m.maxWaitMs, sharedChunk: m.sharedChunk },
    );
    port.postMessage({ transactions });
  } else {
    process.exit(1);
  }
});
port.postMessage('ready');
