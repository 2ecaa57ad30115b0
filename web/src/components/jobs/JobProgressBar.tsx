import { progressText, rateText, type JobView } from '../../lib/api/jobs.ts';

/** A job's phase, progress bar, counts, rate, ETA, cost and failures on one line. */
export function JobProgressBar({ job }: { job: JobView }) {
  const p = job.progress;
  if (!p) return null;
  const running = job.state === 'running';
  return (
    <div className="job-progress" data-testid={`job-${job.id}-progress`}>
      <progress max={Math.max(1, p.total ?? 1)} value={p.total === null ? undefined : p.done} aria-label={`Job ${job.id} progress`} />
      <span>
        {p.phase} · {progressText(p)}
        {p.failed > 0 && ` · ${p.failed} failed`}
        {p.costUsd !== null && ` · $${p.costUsd.toFixed(4)}`}
        {running && rateText(p) && ` · ${rateText(p)}`}
        {running && p.message && ` · ${p.message}`}
      </span>
    </div>
  );
}
