import { Link } from 'react-router-dom';
import { storiesApi, type StoryComparison as Result } from '../../lib/api/stories.ts';
import { ChartCard, fmt, pct } from './ChartCard.tsx';
import type { ViewProps } from './types.ts';
import { useView } from './useView.ts';
import { UserText } from '../UserText.tsx';

/** Percentage points, signed. */
const pp = (v: number | null) => (v === null ? '–' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} pp`);

type Compared = Result['all'];

/** "a vs b, difference [interval]" for one measure of one comparison. */
function Cells({ c, k, share }: { c: Compared; k: number | 'stance'; share: boolean }) {
  const m = k === 'stance' ? c.stance : c.labels[k]!;
  const show = share ? pct : (v: number | null) => fmt(v);
  const diff = share ? pp : (v: number | null) => fmt(v);
  return (
    <>
      <td>{show(m.a)}</td>
      <td>{show(m.b)}</td>
      <td>
        {diff(m.difference)}
        <div className="muted small">{m.low === null ? 'too few documents' : `${diff(m.low)} to ${diff(m.high)}`}</div>
      </td>
    </>
  );
}

/** Stories one side covered and the other did not, each linking to its story page. */
function Gaps({ name, other, count, rows }: { name: string; other: string; count: number; rows: Result['gaps']['onlyA'] }) {
  return (
    <div className="dash-gaps">
      <h3>
        Only <UserText text={name} /> covered ({count})
      </h3>
      {count === 0 ? (
        <p className="muted">Every story {name} covered, {other} covered too.</p>
      ) : (
        <ul>
          {rows.map((g) => (
            <li key={g.storyId}>
              <Link to={`/stories/${g.storyId}`}>
                <UserText text={g.title} />
              </Link>{' '}
              <span className="muted small">
                {g.firstPublished ?? 'undated'} · {g.documents} articles from {g.sources} outlets
              </span>
            </li>
          ))}
          {count > rows.length && <li className="muted">… and {count - rows.length} more</li>}
        </ul>
      )}
    </div>
  );
}

/**
 * The two groups compared only over the stories both covered, beside the comparison over
 * everything: a difference that shrinks over matched stories came from what each side chose to
 * cover, one that stays is in how they frame the same events. Then the coverage gaps.
 */
export function StoryComparison({ params, paramsKey, a, b }: ViewProps & { a: string; b: string }) {
  const { data, error } = useView(() => storiesApi.compare(params, a, b), `${paramsKey}|${a}|${b}|stories`);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Matching the groups&rsquo; stories…</p>;
  const { matched, all } = data;
  const names = new Map(all.codebook.labels.map((l) => [l.id, l.name]));
  const csv = {
    header: ['measure', 'over', all.a.name, all.b.name, 'difference', 'ci95_low', 'ci95_high'],
    rows: (['matched', 'all'] as const).flatMap((over) => {
      const c = data[over];
      return [...c.labels.map((l) => [`share ${l.label}`, over, l.a, l.b, l.difference, l.low, l.high]), ['mean stance', over, c.stance.a, c.stance.b, c.stance.difference, c.stance.low, c.stance.high]];
    }),
  };
  return (
    <ChartCard
      id="compare-stories"
      title={`${all.a.name} and ${all.b.name} on the same stories`}
      statement={`${all.statement} Matched: only the ${data.stories.matched} stories both groups covered (${matched.a.documents} and ${matched.b.documents} documents); all: every document under the filters (${all.a.documents} and ${all.b.documents}). ${params.syndicated === 'include' ? 'Syndicated copies count as articles of their own.' : 'Syndicated copies count once.'} 95% intervals resample documents within each group.`}
      source={all}
      data={csv}
    >
      <div data-testid="story-comparison">
        <table className="grid dash-compare-table">
          <thead>
            <tr>
              <th rowSpan={2}>Measure</th>
              <th colSpan={3}>Stories both covered ({data.stories.matched})</th>
              <th colSpan={3}>All documents</th>
            </tr>
            <tr>
              <th>{all.a.name}</th>
              <th>{all.b.name}</th>
              <th>Difference</th>
              <th>{all.a.name}</th>
              <th>{all.b.name}</th>
              <th>Difference</th>
            </tr>
          </thead>
          <tbody>
            {all.labels.map((l, k) => (
              <tr key={l.label} data-label={l.label}>
                <td>share {names.get(l.label) ?? l.label}</td>
                <Cells c={matched} k={k} share />
                <Cells c={all} k={k} share />
              </tr>
            ))}
            <tr data-label="stance">
              <td>mean stance</td>
              <Cells c={matched} k="stance" share={false} />
              <Cells c={all} k="stance" share={false} />
            </tr>
          </tbody>
        </table>
        <div className="row">
          <Gaps name={all.a.name} other={all.b.name} count={data.stories.onlyA} rows={data.gaps.onlyA} />
          <Gaps name={all.b.name} other={all.a.name} count={data.stories.onlyB} rows={data.gaps.onlyB} />
        </div>
      </div>
    </ChartCard>
  );
}
