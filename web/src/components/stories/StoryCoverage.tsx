import type { StoryDetail } from '../../lib/api/stories.ts';
import { UserText } from '../UserText.tsx';

/** Which groups covered the story: per grouping, each value's outlets and articles (syndicated copies once unless counted). */
export function StoryCoverage({ story }: { story: StoryDetail }) {
  const groupings = story.coverage.filter((c) => c.values.some((v) => v.value !== ''));
  if (groupings.length === 0) return <p className="muted">The outlets of this story have no country, language or grouping set (Corpus page).</p>;
  return (
    <table className="grid" data-testid="story-coverage">
      <thead>
        <tr>
          <th>Grouping</th>
          <th>Group</th>
          <th>Outlets</th>
          <th>Articles</th>
        </tr>
      </thead>
      <tbody>
        {groupings.flatMap((c) =>
          c.values.map((v, k) => (
            <tr key={`${c.grouping}|${v.value}`} data-grouping={c.grouping} data-value={v.value}>
              <td>{k === 0 ? c.grouping : ''}</td>
              <td>{v.value === '' ? <span className="muted">no value</span> : <UserText text={v.value} />}</td>
              <td>{v.sources}</td>
              <td>{v.documents}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}
