import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useView } from '../components/dashboard/useView.ts';
import { JobProgressBar } from '../components/jobs/JobProgressBar.tsx';
import { UserText } from '../components/UserText.tsx';
import { followJob, type JobView } from '../lib/api/jobs.ts';
import { storiesApi } from '../lib/api/stories.ts';

const PAGE = 50; // stories per page

/** The grouping form: window, threshold and the optional provider check, started as a job with live progress. */
function GroupStories({ onDone }: { onDone: () => void }) {
  const [windowDays, setWindowDays] = useState('3');
  const [threshold, setThreshold] = useState('0.2');
  const [llmCheck, setLlmCheck] = useState(false);
  const [job, setJob] = useState<JobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = () => {
    setError(null);
    storiesApi.group({ windowDays: Number(windowDays), threshold: Number(threshold), llmCheck }).then(
      (j) => {
        setJob(j);
        followJob(j.id, setJob, (end) => {
          setJob(end);
          onDone();
        });
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  };
  const running = job !== null && (job.state === 'queued' || job.state === 'running');
  return (
    <section className="panel">
      <h2>Group documents into stories</h2>
      <p className="muted small">
        Articles whose title and opening are alike (cosine similarity of word and word-pair weights) and that were published within the window are one story. Stories people edited are kept as
        they are; new articles may join them.
      </p>
      <div className="row">
        <label>
          Window (days) <input type="number" min={0} max={60} value={windowDays} onChange={(e) => setWindowDays(e.target.value)} />
        </label>
        <label>
          Threshold <input type="number" min={0.05} max={0.99} step={0.01} value={threshold} onChange={(e) => setThreshold(e.target.value)} />
        </label>
        <label>
          <input type="checkbox" checked={llmCheck} onChange={(e) => setLlmCheck(e.target.checked)} /> Ask the provider about borderline pairs
        </label>
        <button type="button" onClick={start} disabled={running}>
          Group stories
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      {job && (
        <div data-testid="story-job">
          <JobProgressBar job={job} />
          <span className="muted">
            {job.state}
            {job.error ? `: ${job.error}` : ''}
          </span>
          {job.result !== null && 'created' in job.result && (
            <p data-testid="story-job-result">
              {job.result.stories} stories ({job.result.created} new, {job.result.kept} kept, {job.result.dropped} dropped) from {job.result.documents} documents;{' '}
              {job.result.addedToEdited} articles added to {job.result.editedGrown} edited stories
              {job.result.undated > 0 && `; ${job.result.undated} without a day-precise date left out`}
              {job.result.checks.asked > 0 && `; the provider was asked about ${job.result.checks.asked} pairs (${job.result.checks.yes} same, ${job.result.checks.no} not, ${job.result.checks.failed} without an answer)`}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/** Stories: documents of different outlets that report the same event. */
export function StoriesPage() {
  const [sp, setSp] = useSearchParams();
  const q = sp.get('q') ?? '';
  const offset = Number(sp.get('offset') ?? 0);
  const [version, setVersion] = useState(0);
  const { data, error } = useView(() => storiesApi.list({ ...(q ? { q } : {}), limit: String(PAGE), offset: String(offset) }), `${q}|${offset}|${version}`);
  return (
    <div className="stories-page">
      <h1>Stories</h1>
      <GroupStories onDone={() => setVersion((v) => v + 1)} />
      <section className="panel">
        <label>
          Search titles <input type="search" value={q} onChange={(e) => setSp(e.target.value ? { q: e.target.value } : {})} />
        </label>
        {error && <p className="error">{error}</p>}
        {data && (
          <>
            <p className="muted" data-testid="stories-total">
              {data.total} stories
            </p>
            <table className="grid" data-testid="stories-list">
              <thead>
                <tr>
                  <th>Story</th>
                  <th>First report</th>
                  <th>Outlets</th>
                  <th>Articles</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.stories.map((s) => (
                  <tr key={s.id} data-story-id={s.id}>
                    <td>
                      <Link to={`/stories/${s.id}`}>
                        <UserText text={s.title} />
                      </Link>
                    </td>
                    <td>{s.firstPublished ?? 'undated'}</td>
                    <td>{s.sourceCount}</td>
                    <td>{s.documentCount}</td>
                    <td className="muted">{s.edited ? `edited by ${s.editedBy ?? 'someone'}` : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.total > PAGE && (
              <p>
                <button type="button" disabled={offset === 0} onClick={() => setSp({ ...(q ? { q } : {}), offset: String(Math.max(0, offset - PAGE)) })}>
                  Newer
                </button>{' '}
                <button type="button" disabled={offset + PAGE >= data.total} onClick={() => setSp({ ...(q ? { q } : {}), offset: String(offset + PAGE) })}>
                  Older
                </button>
              </p>
            )}
          </>
        )}
      </section>
    </div>
  );
}
