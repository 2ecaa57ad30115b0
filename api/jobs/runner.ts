import { inspect } from 'node:util';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { executeJob, HEARTBEAT_STALE_MS, type JobChannel } from './context.ts';
import { jobKind } from './kinds.ts';
import { DbJobQueue, type EnqueueSpec, type JobQueue } from './queue.ts';
import { ThreadPool } from './threads.ts';
import { recordWorkerDeath } from './workerDeath.ts';
import { FINISHED_STATES, type Job, type JobDeps, type JobEvent } from './types.ts';

/** Work the runner does on its own now and then (e.g. queue a retraining when enough reviews came in). */
export interface Scheduled {
  name: string;
  /** ms between runs */
  everyMs: number;
  run(runner: JobRunner): void;
}

export interface JobRunnerOptions {
  deps: JobDeps;
  /**
   * threads: every job in its own worker thread with its own database connection (a database
   * file); inline: in this thread (an in-memory database, which no other connection can see).
   */
  mode: 'threads' | 'inline';
  /** Jobs running at once in this process (default 2). */
  maxConcurrent?: number;
  /**
   * A server runner also recovers jobs whose process died, claims queued jobs and runs the
   * scheduled work; a CLI runner only runs the jobs it was handed.
   */
  background?: boolean;
  scheduled?: Scheduled[];
  queue?: JobQueue;
}

/** ms between background rounds (recovery, claiming, watching jobs of other processes). */
const TICK_MS = 500;

/**
 * Runs jobs for one process and tells watchers how they go. Injected through AppDeps; routes,
 * the CLI and services only submit, cancel, resume and watch.
 */
export interface JobRunner {
  readonly queue: JobQueue;
  /** This process's owner id, `host:pid:nonce`. */
  readonly owner: string;
  /** Where jobs keep their files (uploads waiting for their import, finished exports). */
  readonly filesDir: string;
  /** Records a job and starts it as soon as a slot is free; returns the recorded row at once. */
  submit(spec: Omit<EnqueueSpec, 'claimBy'>): Job;
  /** Tries to start queued jobs now (after something was enqueued or resumed). */
  wake(): void;
  cancel(jobId: number, actor: string): Job;
  resume(jobId: number, actor: string): Job;
  /** Records a job claimed by this process and runs it in this thread to the end (the CLI's way). */
  runHere(spec: Omit<EnqueueSpec, 'claimBy'>, onEvent?: (e: JobEvent) => void): { job: Job; done: Promise<Job> };
  /** Runs a job this process has claimed (recorded or resumed with `claimBy: owner`) in this thread to the end. */
  runClaimed(job: Job, onEvent?: (e: JobEvent) => void): Promise<Job>;
  /** Follows a job: events as they happen here, or read from the database for jobs run elsewhere. Returns the unsubscribe function. */
  watch(jobId: number, listener: (e: JobEvent) => void): () => void;
  /** True when this process is running the job. */
  isLive(jobId: number): boolean;
  /** Resolves when the job (running here) has finished; at once with its row otherwise. */
  settled(jobId: number): Promise<Job>;
  /** Marks jobs whose process died `interrupted` (resumable kinds) or `failed`, now. */
  recover(): void;
  /** Recovers dead jobs and starts the background rounds. */
  start(): void;
  /** Stops the rounds and claims nothing more; running jobs stop at their next clean point and are left resumable. */
  stop(): Promise<void>;
}

interface Active {
  stop: (reason: 'cancel' | 'shutdown') => void;
  done: Promise<Job>;
}

/**
 * Whether the process behind an owner id may still be alive: on this host its pid answers (a
 * long synchronous step may delay its heartbeat without it being dead); elsewhere, its
 * heartbeat is fresh.
 */
function ownerMayBeAlive(owner: string, heartbeatAt: string | null, now: Date): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host === hostname() && Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      // EPERM: the process exists under another user.
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  return heartbeatAt !== null && now.getTime() - Date.parse(heartbeatAt) <= HEARTBEAT_STALE_MS;
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { deps } = options;
  const queue = options.queue ?? new DbJobQueue(deps.db);
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const maxConcurrent = options.maxConcurrent ?? 2;
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const active = new Map<number, Active>();
  const pool = options.mode === 'threads' ? new ThreadPool(deps.config, deps.filesDir, deps.writeGate?.buffer) : null;
  // The job threads checkpoint the WAL (thread.ts): a checkpoint run by this connection's commit
  // would land inside a request (copying up to a thousand pages and syncing the file).
  if (pool && !deps.db.$client.memory) deps.db.$client.pragma('wal_autocheckpoint = 0');
  let ticker: NodeJS.Timeout | null = null;
  let stopped = false;
  const lastRun = new Map<string, number>();
  // Jobs watched here that run elsewhere: their last state and progress seen, to emit only changes.
  const remote = new Map<number, string>();

  const publish = (e: JobEvent) => events.emit(String(e.job.id), e);

  const launch = (job: Job, onEvent?: (e: JobEvent) => void, inThisThread = false): Promise<Job> => {
    const listeners: ((reason: 'cancel' | 'shutdown') => void)[] = [];
    const channel: JobChannel = {
      emit: (e) => {
        onEvent?.(e);
        publish(e);
      },
      onStop: (l) => listeners.push(l),
    };
    const stop = (reason: 'cancel' | 'shutdown') => listeners.forEach((l) => l(reason));
    const run = pool && !inThisThread ? pool.run(job, owner, channel) : executeJob(deps, queue, job, owner, channel);
    const done = run
      .catch(async (err: unknown): Promise<Job> => {
        // The worker thread died under the job: say so and let the kind tidy up.
        const reason = `the job's worker stopped unexpectedly: ${err instanceof Error ? err.message : inspect(err, { depth: 3, breakLength: Infinity })}`;
        const failed = await recordWorkerDeath(queue, job, owner, deps.now, reason);
        if (!failed) return job;
        try {
          jobKind(job.kind).onStopped?.(deps, failed);
        } catch (tidyErr) {
          console.error(`job ${job.id} (${job.kind}): tidying up after its worker died failed:`, tidyErr);
        }
        publish({ type: 'finished', job: failed });
        return failed;
      })
      .finally(() => {
        active.delete(job.id);
        runner.wake();
      });
    active.set(job.id, { stop, done });
    remote.delete(job.id);
    return done;
  };

  const recover = () => {
    const now = deps.now();
    for (const job of queue.list({ states: ['running'], limit: 1_000 })) {
      if (active.has(job.id) || !job.owner || job.owner === owner || ownerMayBeAlive(job.owner, job.heartbeatAt, now)) continue;
      const spec = jobKind(job.kind);
      const when = job.heartbeatAt ?? job.startedAt ?? 'an unknown time';
      const reason = spec.resumable
        ? `the process running this job stopped (killed or crashed) after its last sign of life at ${when}; resume it to continue`
        : `the process running this job stopped (killed or crashed) after its last sign of life at ${when}; start it again`;
      const stopped = queue.interrupt(job.id, job.owner, now, spec.resumable ? 'interrupted' : 'failed', reason);
      if (stopped) {
        spec.onStopped?.(deps, stopped);
        publish({ type: 'finished', job: stopped });
      }
    }
    if (!options.background) return;
    for (const job of queue.list({ states: ['interrupted'], limit: 1_000 })) {
      if (jobKind(job.kind).autoResume) queue.resume(job.id, 'system', now);
    }
  };

  const pollRemote = () => {
    for (const [jobId, seen] of remote) {
      if (active.has(jobId)) continue;
      if (events.listenerCount(String(jobId)) === 0) {
        remote.delete(jobId);
        continue;
      }
      const job = queue.get(jobId);
      const key = `${job.state}:${JSON.stringify(job.progress)}`;
      if (key === seen) continue;
      remote.set(jobId, key);
      publish({ type: FINISHED_STATES.has(job.state) ? 'finished' : 'progress', job });
    }
  };

  const tick = () => {
    try {
      recover();
      runner.wake();
      pollRemote();
      const nowMs = Date.now();
      for (const s of options.scheduled ?? []) {
        if (nowMs - (lastRun.get(s.name) ?? 0) < s.everyMs) continue;
        lastRun.set(s.name, nowMs);
        s.run(runner);
      }
    } catch (err) {
      console.error('job runner round failed:', err);
    }
  };

  const runner: JobRunner = {
    queue,
    owner,
    filesDir: deps.filesDir,
    submit(spec) {
      const job = queue.enqueue(spec, deps.now());
      runner.wake();
      return queue.get(job.id);
    },
    wake() {
      // A stopped runner claims nothing: its threads are gone, and a job it claimed would fail
      // for that; what is queued after the stop waits for the next process.
      if (!options.background || stopped) return;
      while (active.size < maxConcurrent) {
        const job = queue.claim(owner, deps.now());
        if (!job) return;
        void launch(job);
      }
    },
    cancel(jobId, actor) {
      const job = queue.requestCancel(jobId, actor, deps.now());
      active.get(jobId)?.stop('cancel');
      if (job.state === 'cancelled' && job.finishedAt !== null && !active.has(jobId)) {
        jobKind(job.kind).onStopped?.(deps, job);
        publish({ type: 'finished', job });
      }
      return job;
    },
    resume(jobId, actor) {
      const job = queue.resume(jobId, actor, deps.now());
      runner.wake();
      return queue.get(job.id);
    },
    runHere(spec, onEvent) {
      const job = queue.enqueue({ ...spec, claimBy: owner }, deps.now());
      return { job, done: launch(job, onEvent, true) };
    },
    runClaimed(job, onEvent) {
      if (job.owner !== owner || job.state !== 'running') return Promise.reject(new Error(`job ${job.id} is ${job.state}, not claimed by this process`));
      return launch(job, onEvent, true);
    },
    watch(jobId, listener) {
      const key = String(jobId);
      events.on(key, listener);
      if (!active.has(jobId) && !remote.has(jobId)) remote.set(jobId, '');
      return () => events.off(key, listener);
    },
    isLive: (jobId) => active.has(jobId),
    recover,
    settled: (jobId) => active.get(jobId)?.done ?? Promise.resolve(queue.get(jobId)),
    start() {
      if (!options.background) return;
      pool?.warm();
      tick();
      ticker = setInterval(tick, TICK_MS);
      ticker.unref();
    },
    async stop() {
      stopped = true;
      if (ticker) clearInterval(ticker);
      ticker = null;
      const running = [...active.values()];
      for (const a of running) a.stop('shutdown');
      await Promise.all(running.map((a) => a.done));
      await pool?.close();
    },
  };
  // Watchers of jobs run elsewhere are served by the rounds; without them (a CLI runner) they poll alone.
  if (!options.background) {
    const poller = setInterval(pollRemote, TICK_MS);
    poller.unref();
  }
  return runner;
}
