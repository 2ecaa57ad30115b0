import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { dialectFor, skipLockedText } from '../../db/sqlDialect.ts';
import { RESUMABLE_FROM, type EnqueueSpec, type HeartbeatAnswer, type JobEnd, type JobFilter, type JobQueue } from '../../db/jobQueue.ts';
import { jobs, type Job, type JobProgress } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { conflict, notFound } from '../errors.ts';
import { initialProgress } from './types.ts';

export type { EnqueueSpec, HeartbeatAnswer, JobFilter, JobQueue } from '../../db/jobQueue.ts';

/** The job queue in the app's database (db/schema/jobs.ts), on SQLite or PostgreSQL alike. */
export class DbJobQueue implements JobQueue {
  constructor(private readonly db: Db) {}

  enqueue(spec: EnqueueSpec, now: Date, tx: DbOrTx = this.db): Job {
    const claimed = spec.claimBy !== undefined;
    const at = now.toISOString();
    return tx
      .insert(jobs)
      .values({
        kind: spec.kind,
        params: spec.params,
        createdBy: spec.createdBy,
        createdAt: at,
        taggingRunId: spec.taggingRunId ?? null,
        progress: spec.progress ?? initialProgress(),
        state: claimed ? 'running' : 'queued',
        owner: spec.claimBy ?? null,
        attempts: claimed ? 1 : 0,
        startedAt: claimed ? at : null,
        heartbeatAt: claimed ? at : null,
      })
      .returning()
      .get();
  }

  claim(owner: string, now: Date, jobId?: number): Job | null {
    const at = now.toISOString();
    // One UPDATE of the row its scalar subquery picks: atomic on SQLite (the statement holds the
    // write lock) and on PostgreSQL (the subquery locks the row, skipping rows another claimer
    // holds). A scalar subquery runs once; `id IN (SELECT ... LIMIT 1 FOR UPDATE SKIP LOCKED)`
    // may be re-run for every row the UPDATE scans and claim every queued job at once.
    const only = jobId === undefined ? sql`` : sql` AND id = ${jobId}`;
    const next = sql`(SELECT id FROM jobs WHERE state = 'queued'${only} ORDER BY id LIMIT 1${sql.raw(skipLockedText(dialectFor(this.db)))})`;
    return (
      this.db
        .update(jobs)
        .set({ state: 'running', owner, attempts: sql`${jobs.attempts} + 1`, startedAt: sql`coalesce(${jobs.startedAt}, ${at})`, heartbeatAt: at, finishedAt: null, error: null })
        .where(and(eq(jobs.id, next), eq(jobs.state, 'queued')))
        .returning()
        .get() ?? null
    );
  }

  heartbeat(jobId: number, owner: string, now: Date, progress: JobProgress): HeartbeatAnswer {
    const row = this.db
      .update(jobs)
      .set({ heartbeatAt: now.toISOString(), progress })
      .where(and(eq(jobs.id, jobId), eq(jobs.owner, owner), eq(jobs.state, 'running')))
      .returning({ cancel: jobs.cancelRequested })
      .get();
    if (!row) return 'lost';
    return row.cancel ? 'cancel' : 'ok';
  }

  saveResult(jobId: number, owner: string, result: unknown, tx: DbOrTx = this.db): void {
    tx.update(jobs)
      .set({ result })
      .where(and(eq(jobs.id, jobId), eq(jobs.owner, owner)))
      .run();
  }

  finish(jobId: number, owner: string, now: Date, end: JobEnd): Job | null {
    return (
      this.db
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
        .returning()
        .get() ?? null
    );
  }

  interrupt(jobId: number, owner: string, now: Date, state: 'interrupted' | 'failed', reason: string): Job | null {
    return this.db.transaction((tx) => {
      const job = tx
        .update(jobs)
        .set({ state, error: reason, finishedAt: now.toISOString(), owner: null, cancelRequested: false })
        .where(and(eq(jobs.id, jobId), eq(jobs.owner, owner), eq(jobs.state, 'running')))
        .returning()
        .get();
      if (job) audit(tx, { actor: 'system', action: `job.${state}`, entityType: 'job', entityId: jobId, details: { kind: job.kind, reason } });
      return job ?? null;
    });
  }

  requestCancel(jobId: number, actor: string, now: Date): Job {
    return this.db.transaction((tx) => {
      const job = this.getIn(tx, jobId);
      if (job.state === 'queued' || job.state === 'interrupted') {
        // Queued, or stopped by a kill: nothing runs it, so it is cancelled at once.
        audit(tx, { actor, action: 'job.cancel', entityType: 'job', entityId: jobId, details: { kind: job.kind } });
        return tx.update(jobs).set({ state: 'cancelled', finishedAt: now.toISOString(), error: null }).where(eq(jobs.id, jobId)).returning().get();
      }
      if (job.state !== 'running') return job;
      audit(tx, { actor, action: 'job.cancel', entityType: 'job', entityId: jobId, details: { kind: job.kind } });
      return tx.update(jobs).set({ cancelRequested: true }).where(eq(jobs.id, jobId)).returning().get();
    });
  }

  resume(jobId: number, actor: string, now: Date, claimBy?: string): Job {
    return this.db.transaction((tx) => {
      const job = this.getIn(tx, jobId);
      if (job.state === 'queued' || job.state === 'running') throw conflict(`job ${jobId} is already ${job.state}`, 'job_active');
      if (!RESUMABLE_FROM.has(job.state)) throw conflict(`job ${jobId} is already ${job.state}`, 'job_completed');
      audit(tx, { actor, action: 'job.resume', entityType: 'job', entityId: jobId, details: { kind: job.kind, from: job.state } });
      const at = now.toISOString();
      const claimed = claimBy === undefined ? { state: 'queued' as const } : { state: 'running' as const, owner: claimBy, attempts: sql`${jobs.attempts} + 1`, heartbeatAt: at };
      return tx.update(jobs).set({ ...claimed, error: null, finishedAt: null, cancelRequested: false }).where(eq(jobs.id, jobId)).returning().get();
    });
  }

  get(jobId: number): Job {
    return this.getIn(this.db, jobId);
  }

  list(filter: JobFilter = {}): Job[] {
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
      .limit(filter.limit ?? 50)
      .all();
  }

  private getIn(tx: DbOrTx, jobId: number): Job {
    const job = tx.select().from(jobs).where(eq(jobs.id, jobId)).get();
    if (!job) throw notFound(`job ${jobId} not found`);
    return job;
  }
}
