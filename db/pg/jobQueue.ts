import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { JobQueueError, RESUMABLE_FROM, type AsyncJobQueue, type EnqueueSpec, type HeartbeatAnswer, type JobEnd, type JobFilter } from '../jobQueue.ts';
import type { Job, JobProgress } from '../schema/jobs.ts';
import type { PgDb, PgDbOrTx } from './client.ts';
import { auditLog, jobs } from './schema/index.ts';

const EMPTY_PROGRESS: JobProgress = { phase: 'queued', done: 0, total: null, unit: 'items', ratePerSec: 0, etaSec: null, failed: 0, costUsd: null, message: null };

/**
 * The job queue in a PostgreSQL database, shared by any number of app processes. A claim takes
 * the oldest queued row with `FOR UPDATE SKIP LOCKED` inside the one UPDATE that marks it
 * running: concurrent claimers never wait on each other and never get the same row. Like the
 * SQLite queue, every later change (heartbeat, result, finish, interrupt) is conditional on the
 * owner, so a process that lost its job (declared dead, job resumed elsewhere) changes nothing.
 */
export class PgJobQueue implements AsyncJobQueue<PgDbOrTx> {
  constructor(private readonly db: PgDb) {}

  async enqueue(spec: EnqueueSpec, now: Date, tx: PgDbOrTx = this.db): Promise<Job> {
    const claimed = spec.claimBy !== undefined;
    const at = now.toISOString();
    const [job] = await tx
      .insert(jobs)
      .values({
        kind: spec.kind,
        params: spec.params,
        createdBy: spec.createdBy,
        createdAt: at,
        taggingRunId: spec.taggingRunId ?? null,
        progress: spec.progress ?? EMPTY_PROGRESS,
        state: claimed ? 'running' : 'queued',
        owner: spec.claimBy ?? null,
        attempts: claimed ? 1 : 0,
        startedAt: claimed ? at : null,
        heartbeatAt: claimed ? at : null,
      })
      .returning();
    return job!;
  }

  async claim(owner: string, now: Date, jobId?: number): Promise<Job | null> {
    const at = now.toISOString();
    // A scalar subquery (`id = (SELECT ...)`) runs once; `id IN (SELECT ... LIMIT 1 FOR UPDATE
    // SKIP LOCKED)` may be planned as a subplan run again for every row the UPDATE scans, and
    // then claims every queued job at once.
    const next = this.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(jobId === undefined ? eq(jobs.state, 'queued') : and(eq(jobs.state, 'queued'), eq(jobs.id, jobId)))
      .orderBy(jobs.id)
      .limit(1)
      .for('update', { skipLocked: true });
    const [job] = await this.db
      .update(jobs)
      .set({ state: 'running', owner, attempts: sql`${jobs.attempts} + 1`, startedAt: sql`coalesce(${jobs.startedAt}, ${at})`, heartbeatAt: at, finishedAt: null, error: null })
      .where(and(eq(jobs.id, sql`(${next})`), eq(jobs.state, 'queued')))
      .returning();
    return job ?? null;
  }

  async heartbeat(jobId: number, owner: string, now: Date, progress: JobProgress): Promise<HeartbeatAnswer> {
    const [row] = await this.db
      .update(jobs)
      .set({ heartbeatAt: now.toISOString(), progress })
      .where(and(eq(jobs.id, jobId), eq(jobs.owner, owner), eq(jobs.state, 'running')))
      .returning({ cancel: jobs.cancelRequested });
    if (!row) return 'lost';
    return row.cancel ? 'cancel' : 'ok';
  }

  async saveResult(jobId: number, owner: string, result: unknown, tx: PgDbOrTx = this.db): Promise<void> {
    await tx
      .update(jobs)
      .set({ result })
      .where(and(eq(jobs.id, jobId), eq(jobs.owner, owner)));
  }

  async finish(jobId: number, owner: string, now: Date, end: JobEnd): Promise<Job | null> {
    const [job] = await this.db
      .update(jobs)
      .set({
        state: end.state,
        error: end.error ?? null,
        ...(end.result === undefined ? {} : { result: end.result }),
        ...(end.progress ? { progress: end.progress } : {}),
        finishedAt: now.toISOString(),
        heartbeatAt: now.toISOString(),
        owner: null,
        cancelRequested: false,
      })
      .where(and(eq(jobs.id, jobId), eq(jobs.owner, owner), eq(jobs.state, 'running')))
      .returning();
    return job ?? null;
  }

  async interrupt(jobId: number, owner: string, now: Date, state: 'interrupted' | 'failed', reason: string): Promise<Job | null> {
    return this.db.transaction(async (tx) => {
      const [job] = await tx
        .update(jobs)
        .set({ state, error: reason, finishedAt: now.toISOString(), owner: null, cancelRequested: false })
        .where(and(eq(jobs.id, jobId), eq(jobs.owner, owner), eq(jobs.state, 'running')))
        .returning();
      if (job) await audit(tx, 'system', `job.${state}`, jobId, { kind: job.kind, reason });
      return job ?? null;
    });
  }

  async requestCancel(jobId: number, actor: string, now: Date): Promise<Job> {
    return this.db.transaction(async (tx) => {
      const job = await this.lockedJob(tx, jobId);
      if (job.state === 'queued' || job.state === 'interrupted') {
        // Queued, or stopped by a kill: nothing runs it, so it is cancelled at once.
        await audit(tx, actor, 'job.cancel', jobId, { kind: job.kind });
        const [cancelled] = await tx.update(jobs).set({ state: 'cancelled', finishedAt: now.toISOString(), error: null }).where(eq(jobs.id, jobId)).returning();
        return cancelled!;
      }
      if (job.state !== 'running') return job;
      await audit(tx, actor, 'job.cancel', jobId, { kind: job.kind });
      const [asked] = await tx.update(jobs).set({ cancelRequested: true }).where(eq(jobs.id, jobId)).returning();
      return asked!;
    });
  }

  async resume(jobId: number, actor: string, now: Date, claimBy?: string): Promise<Job> {
    return this.db.transaction(async (tx) => {
      const job = await this.lockedJob(tx, jobId);
      if (job.state === 'queued' || job.state === 'running') throw new JobQueueError(`job ${jobId} is already ${job.state}`, 'job_active');
      if (!RESUMABLE_FROM.has(job.state)) throw new JobQueueError(`job ${jobId} is already ${job.state}`, 'job_completed');
      await audit(tx, actor, 'job.resume', jobId, { kind: job.kind, from: job.state });
      const at = now.toISOString();
      const claimed = claimBy === undefined ? { state: 'queued' as const } : { state: 'running' as const, owner: claimBy, attempts: sql`${jobs.attempts} + 1`, heartbeatAt: at };
      const [resumed] = await tx
        .update(jobs)
        .set({ ...claimed, error: null, finishedAt: null, cancelRequested: false })
        .where(eq(jobs.id, jobId))
        .returning();
      return resumed!;
    });
  }

  async get(jobId: number): Promise<Job> {
    const [job] = await this.db.select().from(jobs).where(eq(jobs.id, jobId));
    if (!job) throw new JobQueueError(`job ${jobId} not found`, 'not_found');
    return job;
  }

  async list(filter: JobFilter = {}): Promise<Job[]> {
    const conditions = [];
    if (filter.states?.length) conditions.push(inArray(jobs.state, filter.states));
    if (filter.kinds?.length) conditions.push(inArray(jobs.kind, filter.kinds));
    if (filter.taggingRunId !== undefined) conditions.push(eq(jobs.taggingRunId, filter.taggingRunId));
    if (filter.beforeId !== undefined) conditions.push(lt(jobs.id, filter.beforeId));
    return this.db
      .select()
      .from(jobs)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(jobs.id))
      .limit(filter.limit ?? 50);
  }

  /** The job's row, locked until the transaction ends: a cancel and a resume of one job take turns. */
  private async lockedJob(tx: PgDbOrTx, jobId: number): Promise<Job> {
    const [job] = await tx.select().from(jobs).where(eq(jobs.id, jobId)).for('update');
    if (!job) throw new JobQueueError(`job ${jobId} not found`, 'not_found');
    return job;
  }
}

/** The audit row a queue change writes in its own transaction (the SQLite queue writes the same through api/audit.ts). */
async function audit(tx: PgDbOrTx, actor: string, action: string, jobId: number, details: unknown): Promise<void> {
  await tx.insert(auditLog).values({ actor, action, entityType: 'job', entityId: jobId, details });
}
