import type { JobProgress } from '../../../../db/schema/jobs.ts';
import { api, call, type Input, type Ok } from './client.ts';

const job = api.jobs[':id'];

/** A job as the API shows it (api/jobs/view.ts). */
export type JobView = Ok<typeof job.$get>;
export type JobState = JobView['state'];
export type JobKind = JobView['kind'];
export type { JobProgress };
type ImportReport = Ok<typeof api.imports.demo.$post>;

/** States in which a job still has work ahead of it. */
export const ACTIVE_STATES: ReadonlySet<JobState> = new Set(['queued', 'running']);

const id = (n: number) => ({ id: String(n) });

export const listJobs = (query: NonNullable<Input<typeof api.jobs.$get>['query']> = {}) => call(api.jobs.$get({ query })).then((r) => r.jobs);
export const getJob = (jobId: number) => call(job.$get({ param: id(jobId) }));
export const cancelJob = (jobId: number) => call(job.cancel.$post({ param: id(jobId) }));
export const resumeJob = (jobId: number) => call(job.resume.$post({ param: id(jobId) }));
export const startRollupRebuild = () => call(api.jobs.rollups.$post());
export const startTraining = () => call(api.jobs.training.$post());

/** Follows a job's live progress (server-sent events); returns a function that stops listening. */
export function followJob(jobId: number, onProgress: (job: JobView) => void, onEnd: (job: JobView) => void): () => void {
  const source = new EventSource(job.events.$path({ param: id(jobId) }));
  // Each event's data is one Job, serialised by the server from that schema.
  const parse = (e: MessageEvent<string>): JobView => JSON.parse(e.data);
  source.addEventListener('progress', (e) => onProgress(parse(e)));
  source.addEventListener('end', (e) => {
    onEnd(parse(e));
    source.close();
  });
  return () => source.close();
}

const MIB = 1024 * 1024;

/** "1,234 / 5,000 items", "3.2 / 10.0 MiB", or "1,234 items" while the total is unknown. */
export function progressText(p: JobProgress): string {
  if (p.unit === 'bytes') return p.total === null ? `${(p.done / MIB).toFixed(1)} MiB` : `${(p.done / MIB).toFixed(1)} / ${(p.total / MIB).toFixed(1)} MiB`;
  const n = (x: number) => Math.round(x).toLocaleString('en');
  return p.total === null ? `${n(p.done)} ${p.unit}` : `${n(p.done)} / ${n(p.total)} ${p.unit}`;
}

/** "42.0 items/s · ETA 12 s", empty before a rate is known. */
export function rateText(p: JobProgress): string {
  if (p.ratePerSec <= 0) return '';
  const eta = p.etaSec === null ? '' : ` · ETA ${p.etaSec < 90 ? `${Math.round(p.etaSec)} s` : `${Math.round(p.etaSec / 60)} min`}`;
  const rate = p.unit === 'bytes' ? `${(p.ratePerSec / MIB).toFixed(1)} MiB/s` : `${p.ratePerSec.toFixed(1)} ${p.unit}/s`;
  return `${rate}${eta}`;
}

/** An import job's per-file report so far (null before its first file, or for another kind). */
export function importReportOf(j: JobView): ImportReport | null {
  return j.kind === 'import' && j.result !== null && 'files' in j.result ? j.result : null;
}
