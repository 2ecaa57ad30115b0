import { useCallback, useEffect, useState } from 'react';
import { JobsTable } from '../components/jobs/JobsTable.tsx';
import { ACTIVE_STATES, listJobs, startRollupRebuild, startTraining, type JobView } from '../lib/api/jobs.ts';

/** ms between refreshes while some job is queued or running, and when none is. */
const BUSY_REFRESH_MS = 1_000;
const IDLE_REFRESH_MS = 5_000;

/** Jobs page: running and recent jobs of every kind with live progress and errors; rebuilds and retraining on request. */
export function JobsPage() {
  const [jobs, setJobs] = useState<JobView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    listJobs({ limit: 100 }).then(
      (j) => (setJobs(j), setError(null)),
      (e: Error) => setError(e.message),
    );
  }, []);
  const busy = jobs.some((j) => ACTIVE_STATES.has(j.state));
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, busy ? BUSY_REFRESH_MS : IDLE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh, busy]);
  const start = (f: () => Promise<unknown>) => () => f().then(refresh, (e: Error) => setError(e.message));
  return (
    <div className="jobs-page">
      <h1>Jobs</h1>
      <p className="muted">
        Long work runs here, off the server's request path: tagging runs, imports, exports, evals, rollup rebuilds and training of the local baseline. A job stopped by a
        crash or restart is offered for resume (tagging, imports) or marked failed with the reason.
      </p>
      <div className="row">
        <button onClick={start(startTraining)}>Retrain the local baseline</button>
        <button onClick={start(startRollupRebuild)}>Rebuild dashboard rollups</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <section className="panel">
        <JobsTable jobs={jobs} onChanged={refresh} />
      </section>
    </div>
  );
}
