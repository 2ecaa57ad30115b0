import { parentPort, workerData } from 'node:worker_threads';
import { openDb } from '../../db/client.ts';
import type { FromWriter, ToWriter, WriterData } from './sink.ts';
import { OutcomeWriter } from './writer.ts';

/** A run's outcome writer thread (see threadSink): writes the batches it is sent, in order, and ends on `close`. */
const { dbPath, runId, codebookId } = workerData as WriterData;
const port = parentPort!;
const db = openDb(dbPath);
// 64 MiB of page cache (the default is 2 MiB): a run's writes land on index pages all over the
// suggestions and items tables, which a small cache reads again and again.
db.$client.pragma('cache_size = -65536');
const writer = new OutcomeWriter(db, runId, codebookId, () => new Date());
const send = (m: FromWriter) => port.postMessage(m);

port.on('message', (m: ToWriter) => {
  if (m.type === 'close') {
    db.$client.close();
    port.close();
    return;
  }
  try {
    send({ type: 'written', seq: m.seq, totals: writer.write(m.batch) });
  } catch (err) {
    send({ type: 'error', seq: m.seq, message: err instanceof Error ? err.message : String(err) });
  }
});
send({ type: 'ready' });
