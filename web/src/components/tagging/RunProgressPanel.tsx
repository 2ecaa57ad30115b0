import { useEffect, useState } from 'react';
import { cancelRun, followRun, getRun, providerLabel, resumeRun, type RunBatch, type RunFailure, type RunProgress, type TaggingRun } from '../../lib/api/tagging.ts';

const fromRun = (r: TaggingRun): RunProgress => ({
  runId: r.id,
  jobId: r.jobId,
  phase: r.status === 'pending' ? 'queued' : r.status === 'running' ? 'tagging' : r.status,
  status: r.status,
  provider: r.provider,
  model: r.model,
  itemsTotal: r.itemsTotal,
  itemsDone: r.itemsDone,
  itemsFailed: r.itemsFailed,
  itemsCached: r.itemsCached,
  costUsd: r.costUsd,
  ratePerSec: 0,
  etaSec: null,
  error: r.error,
  message: null,
  rateLimit: null,
});

const STOPPED = new Set<RunProgress['status']>(['cancelled', 'budget_exceeded', 'failed', 'interrupted']);

/** What the run's job is doing, in words, before and between the counts. */
function phaseText(p: RunProgress): string | null {
  if (p.phase === 'queued') return 'Queued: the run starts as soon as a job slot is free.';
  if (p.phase === 'selecting') return `Selecting the run's items (about ${p.itemsTotal.toLocaleString('en')})…`;
  if (p.phase === 'submitting') return `Submitting batches to the provider's Batch API${p.message ? ` (${p.message})` : ''}…`;
  if (p.phase === 'waiting') return `Waiting for the provider's batches (answered within 24 hours; safe to close this page)${p.message ? `: ${p.message}` : ''}.`;
  if (p.phase === 'applying') return `Storing the answers of a finished batch${p.message ? ` (${p.message})` : ''}…`;
  if (p.status === 'interrupted') return 'Interrupted: the server stopped while this run was working. Resume it to continue with its pending items.';
  return null;
}

/** The limit a run works against, in words: what the server stated and how many requests go at once. */
export function rateLimitText(l: NonNullable<RunProgress['rateLimit']>): string {
  const parts: string[] = [];
  if (l.limitRequests !== null || l.limitTokens !== null) {
    const limits = [l.limitRequests !== null && `${l.limitRequests.toLocaleString('en')} requests`, l.limitTokens !== null && `${l.limitTokens.toLocaleString('en')} tokens`].filter(Boolean).join(' and ');
    const left = [l.remainingRequests !== null && `${l.remainingRequests.toLocaleString('en')} requests`, l.remainingTokens !== null && `${l.remainingTokens.toLocaleString('en')} tokens`].filter(Boolean).join(', ');
    parts.push(`server limit ${limits} per window${left ? ` (${left} left${l.resetInMs !== null ? `, resets in ${(l.resetInMs / 1000).toFixed(1)} s` : ''})` : ''}`);
  } else parts.push('the server states no rate limit');
  parts.push(`${l.concurrency} of ${l.maxConcurrency} requests at once`);
  parts.push(`${l.rateLimited} × 429`);
  return parts.join(' · ');
}

/** Live progress of one run (server-sent events from its job): rate, ETA, cost, failures; cancel and resume. */
export function RunProgressPanel({ runId, onChanged }: { runId: number; onChanged: () => void }) {
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const [failures, setFailures] = useState<RunFailure[]>([]);
  const [batches, setBatches] = useState<RunBatch[]>([]);
  const [follow, setFollow] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stop = () => {};
    let cancelled = false;
    getRun(runId)
      .then(({ run, failures, batches }) => {
        if (cancelled) return;
        setProgress(fromRun(run));
        setFailures(failures);
        setBatches(batches);
        let phase = '';
        stop = followRun(
          runId,
          (p) => {
            setProgress(p);
            // A batch run's batches change when it moves between submitting, waiting and applying.
            if (p.phase !== phase) getRun(runId).then((r) => setBatches(r.batches)).catch(() => {});
            phase = p.phase;
          },
          (p) => {
            setProgress(p);
            getRun(runId)
              .then((r) => {
                setFailures(r.failures);
                setBatches(r.batches);
              })
              .catch(() => {});
            onChanged();
          },
        );
      })
      .catch((e: Error) => setError(e.message));
    return () => {
      cancelled = true;
      stop();
    };
  }, [runId, follow, onChanged]);

  async function act(what: 'cancel' | 'resume') {
    setError(null);
    try {
      if (what === 'cancel') await cancelRun(runId);
      else await resumeRun(runId);
      setFollow((f) => f + 1);
      onChanged();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (!progress) return <section className="panel">{error ? <p className="error">{error}</p> : <p className="muted">Loading run {runId}…</p>}</section>;
  const processed = progress.itemsDone + progress.itemsCached + progress.itemsFailed;
  const live = progress.status === 'running' || progress.status === 'pending';
  const phase = phaseText(progress);
  return (
    <section className="panel tagging-progress" aria-label={`Run ${runId} progress`}>
      <h2>
        Run {runId}: <span className={`badge run-${progress.status}`} data-testid="run-status">{progress.status}</span>
      </h2>
      <p>
        Proposed by <strong>{providerLabel(progress.provider, progress.model)}</strong>
        {progress.jobId !== null && <span className="muted"> · job #{progress.jobId} (see Jobs)</span>}
      </p>
      {phase && <p className="tagging-phase" data-testid="run-phase">{phase}</p>}
      {progress.rateLimit && (
        <p className="muted" data-testid="run-rate-limit">
          Rate limit: {rateLimitText(progress.rateLimit)}
        </p>
      )}
      <progress max={Math.max(1, progress.itemsTotal)} value={processed} aria-label="Items processed" />
      <p data-testid="run-counts">
        {processed} / {progress.itemsTotal} items · {progress.itemsDone} suggested · {progress.itemsCached} cached · {progress.itemsFailed} failed · ${progress.costUsd.toFixed(4)}
        {live && progress.phase === 'tagging' && ` · ${progress.ratePerSec.toFixed(1)} items/s · ETA ${progress.etaSec === null ? '–' : `${Math.round(progress.etaSec)} s`}`}
      </p>
      {progress.error && <p className="error">{progress.error}</p>}
      {batches.length > 0 && <BatchesTable batches={batches} />}
      <div className="row">
        {live && <button onClick={() => act('cancel')}>Cancel</button>}
        {STOPPED.has(progress.status) && <button onClick={() => act('resume')}>Resume</button>}
        {error && <span className="error" role="alert">{error}</span>}
      </div>
      {failures.length > 0 && (
        <details>
          <summary>{failures.length} failed items</summary>
          <ul className="tagging-failures">
            {failures.map((f) => (
              <li key={f.itemId}>
                <a href={`/review/items/${f.itemId}`}>item {f.itemId}</a>: <strong>{f.errorKind}</strong> — {f.error}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** A batch run's submissions to the provider's Batch API: what each holds and where it is. */
function BatchesTable({ batches }: { batches: RunBatch[] }) {
  return (
    <table className="tagging-batches" aria-label="Batches">
      <thead>
        <tr>
          <th>Batch</th>
          <th>Round</th>
          <th>Requests</th>
          <th>Answered</th>
          <th>Provider status</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {batches.map((b) => (
          <tr key={b.id}>
            <td>{b.providerBatchId ?? `#${b.id}`}</td>
            <td>{b.round}</td>
            <td>
              {b.requests.toLocaleString('en')} ({(b.bytes / 1024 / 1024).toFixed(1)} MiB)
            </td>
            <td>
              {(b.requestsCompleted + b.requestsFailed).toLocaleString('en')}
              {b.requestsFailed > 0 && ` (${b.requestsFailed.toLocaleString('en')} failed)`}
            </td>
            <td>{b.providerStatus ?? '–'}</td>
            <td>
              {b.status}
              {b.error && <span className="error"> {b.error}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
