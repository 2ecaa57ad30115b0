import { Worker } from 'node:worker_threads';
import type { Config } from '../config.ts';
import type { JobChannel } from './context.ts';
import type { Job, JobEvent } from './types.ts';

/** main → worker */
export type ToWorker = { type: 'run'; job: Job; owner: string } | { type: 'stop'; jobId: number; reason: 'cancel' | 'shutdown' };
/** worker → main */
export type FromWorker = { type: 'ready' } | { type: 'event'; event: JobEvent } | { type: 'done'; job: Job } | { type: 'crashed'; jobId: number; message: string };

/** What a job worker thread is started with. */
export interface ThreadData {
  entry: string;
  config: Config;
  filesDir: string;
  /** The server's write gate (db/writeGate.ts), shared with the writers the thread's jobs start. */
  gate?: SharedArrayBuffer;
}

interface Thread {
  worker: Worker;
  ready: Promise<void>;
  /** Set when the thread has died. */
  dead: Error | null;
  idleTimer: NodeJS.Timeout | null;
}

/** ms an idle thread beyond the first is kept before it ends */
const IDLE_MS = 30_000;

/**
 * Worker threads for jobs, each with its own database connection, so a job's CPU and SQLite
 * work never runs on the server's request thread. One thread is booted ahead (`warm`; loading
 * TypeScript and the modules takes a few hundred ms) and kept, so a job starts at once; a
 * thread runs one job at a time and is reused, keeping what it loaded (modules, a trained
 * model). A thread that dies takes only its own job down and is replaced.
 */
export class ThreadPool {
  private readonly idle: Thread[] = [];
  private readonly threads = new Set<Thread>();
  private closed = false;

  constructor(
    private readonly config: Config,
    private readonly filesDir: string,
    private readonly gate?: SharedArrayBuffer,
  ) {}

  /** Boots the first thread ahead of any job (a server does this at start). */
  warm(): void {
    if (this.idle.length === 0 && !this.closed) this.idle.push(this.boot());
  }

  private boot(): Thread {
    const data: ThreadData = { entry: new URL('./thread.ts', import.meta.url).href, config: this.config, filesDir: this.filesDir, ...(this.gate ? { gate: this.gate } : {}) };
    const worker = new Worker(new URL('./boot.mjs', import.meta.url), { workerData: data });
    worker.unref();
    const thread: Thread = { worker, ready: Promise.resolve(), dead: null, idleTimer: null };
    thread.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromWorker) => m.type === 'ready' && resolve());
      worker.once('error', (err) => {
        thread.dead ??= err;
        reject(err);
      });
      worker.once('exit', (code) => {
        thread.dead ??= new Error(`worker thread exited with code ${code}`);
        this.threads.delete(thread);
        const i = this.idle.indexOf(thread);
        if (i >= 0) this.idle.splice(i, 1);
        reject(thread.dead);
      });
    });
    // A thread that dies before its first job must not report an unhandled rejection.
    thread.ready.catch(() => {});
    this.threads.add(thread);
    return thread;
  }

  private release(thread: Thread): void {
    if (thread.dead || this.closed) return;
    thread.worker.unref();
    this.idle.push(thread);
    if (this.idle.length > 1) {
      thread.idleTimer = setTimeout(() => {
        const i = this.idle.indexOf(thread);
        if (i >= 0 && this.idle.length > 1) {
          this.idle.splice(i, 1);
          void thread.worker.terminate();
        }
      }, IDLE_MS);
      thread.idleTimer.unref();
    }
  }

  /** Runs a claimed job in a thread; resolves with its final row, rejects when the thread dies under it. */
  async run(job: Job, owner: string, channel: JobChannel): Promise<Job> {
    if (this.closed) throw new Error('the job thread pool is closed');
    const thread = this.idle.shift() ?? this.boot();
    if (thread.idleTimer) clearTimeout(thread.idleTimer);
    if (this.idle.length === 0) this.idle.push(this.boot());
    const { worker } = thread;
    // An idle thread does not keep the process alive; one with a job must not be dropped.
    worker.ref();
    try {
      await thread.ready;
      return await new Promise<Job>((resolve, reject) => {
        const onMessage = (m: FromWorker) => {
          if (m.type === 'event' && m.event.job.id === job.id) channel.emit(m.event);
          else if (m.type === 'done' && m.job.id === job.id) finish(() => resolve(m.job));
          else if (m.type === 'crashed' && m.jobId === job.id) finish(() => reject(new Error(m.message)));
        };
        const onExit = () => finish(() => reject(thread.dead ?? new Error('worker thread exited')));
        const finish = (settle: () => void) => {
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          settle();
        };
        worker.on('message', onMessage);
        worker.on('exit', onExit);
        channel.onStop((reason) => worker.postMessage({ type: 'stop', jobId: job.id, reason } satisfies ToWorker));
        worker.postMessage({ type: 'run', job, owner } satisfies ToWorker);
      });
    } finally {
      this.release(thread);
    }
  }

  /** Ends the idle threads (running ones end with their jobs, which the runner stops first). */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((t) => t.worker.terminate()));
  }
}
