import { parentPort, workerData } from 'node:worker_threads';
import { isBusy, openDb } from '../../db/client.ts';
import { WriteGate } from '../../db/writeGate.ts';
import { defaultProviders } from '../providers/factory.ts';
import { executeJob } from './context.ts';
import { DbJobQueue } from './queue.ts';
import type { FromWorker, ThreadData, ToWorker } from './threads.ts';

/**
 * A job worker thread: its own database connection (WAL lets it write while the server's
 * thread reads), the default provider factory and the real clock; runs the jobs it is handed,
 * one at a time.
 */
const { config, filesDir, gate } = workerData as ThreadData;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
const db = openDb(config.dbPath);
const queue = new DbJobQueue(db);
const deps = { db, config, now: () => new Date(), providers: defaultProviders, filesDir, ...(gate ? { writeGate: new WriteGate(gate) } : {}) };
// The server's connection leaves checkpoints to its job threads (runner.ts): this one moves the
// WAL's pages into the database every CHECKPOINT_EVERY_MS, off the request thread. PASSIVE never
// waits for readers or writers.
const CHECKPOINT_EVERY_MS = 1_000;
setInterval(() => {
  try {
    db.$client.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // Another connection is checkpointing: the next tick goes on from where it got.
    if (!isBusy(err)) throw err;
  }
}, CHECKPOINT_EVERY_MS).unref();
const stopListeners = new Map<number, ((reason: 'cancel' | 'shutdown') => void)[]>();

port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') {
    for (const l of stopListeners.get(m.jobId) ?? []) l(m.reason);
    return;
  }
  const listeners: ((reason: 'cancel' | 'shutdown') => void)[] = [];
  stopListeners.set(m.job.id, listeners);
  void executeJob(deps, queue, m.job, m.owner, { emit: (event) => send({ type: 'event', event }), onStop: (l) => listeners.push(l) })
    .then(
      (job) => send({ type: 'done', job }),
      (err: unknown) => send({ type: 'crashed', jobId: m.job.id, message: err instanceof Error ? err.message : String(err) }),
    )
    .finally(() => stopListeners.delete(m.job.id));
});
send({ type: 'ready' });
