import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { ExportWork, WorkerMessage } from '../offThread.ts';
import { encodeExport } from '../service.ts';

/**
 * The export worker: encodes one planned export from its own read-only connection, one chunk per
 * 'pull' from the server's thread (which owns the HTTP response), then exits.
 */
const { work } = workerData as { work: ExportWork };
const port = parentPort!;
const sqlite = new Database(work.dbPath, { readonly: true, fileMustExist: true });
sqlite.pragma('busy_timeout = 5000'); // 5 s, as the app's own connection
const chunks = encodeExport(sqlite, work.plan, work.dataFile, new Date(work.generatedAt));

port.on('message', () => {
  let message: WorkerMessage;
  try {
    const next = chunks.next();
    message = next.done ? { type: 'done' } : { type: 'chunk', bytes: next.value };
  } catch (err) {
    message = { type: 'error', message: err instanceof Error ? err.message : String(err) };
  }
  // A chunk that owns its whole buffer moves to the server's thread rather than being copied; a
  // small one may be a slice of Node's shared allocation pool, which must stay here, so it is copied.
  const owned = message.type === 'chunk' && message.bytes.byteOffset === 0 && message.bytes.byteLength === message.bytes.buffer.byteLength && message.bytes.buffer instanceof ArrayBuffer;
  port.postMessage(message, owned && message.type === 'chunk' ? [message.bytes.buffer as ArrayBuffer] : []);
  if (message.type !== 'chunk') {
    sqlite.close();
    port.close();
  }
});
