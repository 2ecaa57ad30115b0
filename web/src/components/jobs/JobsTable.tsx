import { useState } from 'react';
import { ACTIVE_STATES, cancelJob, resumeJob, type JobView } from '../../lib/api/jobs.ts';
import { JobProgressBar } from './JobProgressBar.tsx';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '–');

/** Where a finished job's outcome can be seen. */
function JobLink({ job }: { job: JobView }) {
  if (job.kind === 'tagging' && job.taggingRunId !== null) return <a href={`/tagging?run=${job.taggingRunId}`}>run {job.taggingRunId}</a>;
  if (job.kind === 'export' && job.state === 'completed') return <a href={`/api/export/jobs/${job.id}/file`}>download</a>;
  if (job.kind === 'eval' && job.state === 'completed') return <a href="/evals">results</a>;
  return null;
}

/** Jobs of every kind, newest first: state, progress, errors, and cancel or resume. */
export function JobsTable({ jobs, onChanged }: { jobs: JobView[]; onChanged: () => void }) {
  const [error, setError] = useState<string | null>(null);
  if (jobs.length === 0) return <p className="muted">No jobs yet: tagging runs, imports, exports, evals and trainings appear here.</p>;
  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      {error && <p className="error" role="alert">{error}</p>}
      <table className="grid jobs-table" aria-label="Jobs">
        <thead>
          <tr>
            <th>Job</th>
            <th>What</th>
            <th>State</th>
            <th>Progress</th>
            <th>Started by</th>
            <th>Created</th>
            <th>Finished</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} data-testid={`job-${j.id}`}>
              <td>#{j.id}</td>
              <td>
                {j.summary} <JobLink job={j} />
              </td>
              <td>
                <span className={`badge job-${j.state}`}>{j.cancelRequested && j.state === 'running' ? 'cancelling' : j.state}</span>
              </td>
              <td>
                <JobProgressBar job={j} />
                {j.error && <span className="error">{j.error}</span>}
              </td>
              <td>{j.createdBy}</td>
              <td>{when(j.createdAt)}</td>
              <td>{when(j.finishedAt)}</td>
              <td>
                {ACTIVE_STATES.has(j.state) && !j.cancelRequested && <button onClick={() => act(() => cancelJob(j.id))}>Cancel</button>}
                {j.resumable && <button onClick={() => act(() => resumeJob(j.id))}>Resume</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
