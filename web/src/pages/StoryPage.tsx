import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { DrillDownPanel } from '../components/dashboard/DrillDownPanel.tsx';
import type { Drill } from '../components/dashboard/types.ts';
import { useView } from '../components/dashboard/useView.ts';
import { StoryCoverage } from '../components/stories/StoryCoverage.tsx';
import { StoryFraming } from '../components/stories/StoryFraming.tsx';
import { StoryTimeline } from '../components/stories/StoryTimeline.tsx';
import { UserText } from '../components/UserText.tsx';
import type { DashboardParams } from '../lib/api/dashboard.ts';
import { storiesApi } from '../lib/api/stories.ts';

/**
 * One story: which outlets and groups covered it and when, each outlet's framing on every basis
 * side by side with the evidence, the passages behind each article, and people's edits.
 */
export function StoryPage() {
  const storyId = Number(useParams().id);
  const [sp, setSp] = useSearchParams();
  const navigate = useNavigate();
  const includeBulk = sp.get('includeBulk') === '1';
  const syndicated = sp.get('syndicated') === 'include' ? 'include' : 'exclude';
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [drill, setDrill] = useState<Drill | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [mergeIds, setMergeIds] = useState('');
  const { data, error } = useView(() => storiesApi.get(storyId, { ...(includeBulk ? { includeBulk: '1' } : {}), syndicated }), `${storyId}|${includeBulk}|${syndicated}|${version}`);
  const toggle = (key: string, on: boolean, value: string) => {
    const next = new URLSearchParams(sp);
    if (on) next.set(key, value);
    else next.delete(key);
    setSp(next);
  };
  const act = (work: () => Promise<unknown>, done: string) =>
    work().then(
      () => {
        setMessage(done);
        setSelected(new Set());
        setVersion((v) => v + 1);
      },
      (err: unknown) => setMessage(err instanceof Error ? err.message : String(err)),
    );
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading the story…</p>;
  const s = data.story;
  const params: DashboardParams = { basis: 'final', level: 'passage', story: String(storyId), ...(syndicated === 'exclude' ? { syndicated: 'exclude' } : {}) };
  return (
    <div className="story-page">
      <p>
        <Link to="/stories">← Stories</Link>
      </p>
      <h1 data-testid="story-title">
        <UserText text={s.title} />
      </h1>
      <p className="muted" data-testid="story-meta">
        {s.documentCount} articles from {s.sourceCount} outlets · {s.firstPublished ?? 'undated'}
        {s.lastPublished && s.lastPublished !== s.firstPublished ? ` to ${s.lastPublished}` : ''} · {s.origin === 'machine' ? `grouped by ${s.createdBy}` : `made by ${s.createdBy}`}
        {s.edited && ` · edited by ${s.editedBy ?? 'someone'}: kept as it is by re-grouping`} · <Link to={`/dashboard?story=${s.id}&level=document`}>this story on the dashboard</Link>
      </p>
      <div className="row">
        <label>
          <input type="checkbox" checked={includeBulk} onChange={(e) => toggle('includeBulk', e.target.checked, '1')} /> People column counts bulk accepts and imported labels
        </label>
        <label>
          <input type="checkbox" checked={syndicated === 'include'} onChange={(e) => toggle('syndicated', e.target.checked, 'include')} /> Count syndicated copies as articles of their own
        </label>
      </div>
      {message && (
        <p className="panel" role="status">
          {message}
        </p>
      )}
      <section className="panel">
        <h2>When each outlet covered it</h2>
        <StoryTimeline story={data} />
      </section>
      <section className="panel">
        <h2>Which groups covered it</h2>
        <StoryCoverage story={data} />
      </section>
      <section className="panel">
        <h2>How each outlet framed it</h2>
        <p className="muted small">{data.statement} Model: the latest suggestion; final: the human decision where there is one, else the suggestion.</p>
        <StoryFraming
          story={data}
          selected={selected}
          onToggle={(d) => setSelected((cur) => new Set(cur.has(d) ? [...cur].filter((x) => x !== d) : [...cur, d]))}
          onPassages={(d) => setDrill({ title: `${d.source}: ${d.title}`, sourceId: String(d.sourceId) })}
          onRemove={(d) => act(() => storiesApi.removeDocument(storyId, d.documentId), `Removed "${d.title}" from the story; re-grouping will not put it back.`)}
        />
        {drill && <DrillDownPanel key={JSON.stringify(drill)} params={params} paramsKey={JSON.stringify(params)} drill={drill} onClose={() => setDrill(null)} />}
      </section>
      <section className="panel story-edit">
        <h2>Edit the story</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            act(() => storiesApi.rename(storyId, title), 'Renamed.');
          }}
        >
          <label>
            New title <input value={title} onChange={(e) => setTitle(e.target.value)} />
          </label>{' '}
          <button type="submit" disabled={title.trim() === ''}>
            Rename
          </button>
        </form>
        <p>
          <button
            type="button"
            disabled={selected.size === 0}
            onClick={() =>
              storiesApi.split(storyId, [...selected]).then(
                (r) => navigate(`/stories/${r.created.id}`),
                (err: unknown) => setMessage(err instanceof Error ? err.message : String(err)),
              )
            }
          >
            Move the {selected.size || ''} selected articles to a new story
          </button>
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const ids = mergeIds.split(/[\s,]+/).filter(Boolean).map(Number);
            act(() => storiesApi.merge(storyId, ids), `Merged story ${ids.join(', ')} into this one.`);
          }}
        >
          <label>
            Merge stories into this one (ids) <input value={mergeIds} onChange={(e) => setMergeIds(e.target.value)} placeholder="12, 15" />
          </label>{' '}
          <button type="submit" disabled={!/\d/.test(mergeIds)}>
            Merge
          </button>
        </form>
      </section>
    </div>
  );
}
