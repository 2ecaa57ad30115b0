import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openReader } from '../../../db/target.ts';
import type { ExportWork, WorkerMessage } from '../offThread.ts';
import { encodeExport } from '../service.ts';

/**
 * The export worker: encodes one planned export from its own read-only connection and posts it
 * chunk by chunk to the server's thread (which owns the HTTP response), never more than `ahead`
 * chunks before the client has taken them; then exits.
 */
const { work, ahead } = workerData as { work: ExportWork; ahead: number };
// A download can wait a little; a reviewer's click should not. On Linux this lowers the priority
// of this thread alone (setpriority on the calling task), so the server's thread keeps the CPU
// when both want it. Where the system refuses, the export simply runs at normal priority.
try {
  setPriority(10);
} catch {
  // not permitted here: normal priority
}
const port = parentPort!;
// Its own connection that only reads: the SQLite file read-only, or a READ ONLY PostgreSQL session.
const sqlite = openReader(work.dbPath);
const chunks = encodeExport(sqlite, work.plan, work.dataFile, new Date(work.generatedAt));
let credit = ahead;
let finished = false;

function post(message: WorkerMessage): void {
  // A chunk that owns its whole buffer moves to the server's thread rather than being copied; a
  // small one may be a slice of Node's shared allocation pool, which must stay here, so it is copied.
  const bytes = message.type === 'chunk' ? message.bytes : null;
  const owned = bytes !== null && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  port.postMessage(message, owned ? [bytes.buffer as ArrayBuffer] : []);
}

function produce(): void {
  while (credit > 0 && !finished) {
    credit -= 1;
    try {
      const next = chunks.next();
      if (next.done) finished = true;
      post(next.done ? { type: 'done' } : { type: 'chunk', bytes: next.value });
    } catch (err) {
      finished = true;
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  }
  if (finished) {
    sqlite.close();
    port.close();
  }
}

port.on('message', () => {
  credit += 1;
  produce();
});
produce();
