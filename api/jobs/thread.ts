import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../../db/client.ts';
import { defaultProviders } from '../providers/factory.ts';
import { executeJob } from './context.ts';
import { SqliteJobQueue } from './queue.ts';
import type { FromWorker, ThreadData, ToWorker } from './threads.ts';

/**
 * A job worker thread: its own database connection (WAL lets it write while the server's
 * thread reads), the default provider factory and the real clock; runs the jobs it is handed,
 * one at a time.
 */
const { config, filesDir } = workerData as ThreadData;
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
const db = openDb(config.dbPath);
const queue = new SqliteJobQueue(db);
const deps = { db, config, now: () => new Date(), providers: defaultProviders, filesDir };
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
