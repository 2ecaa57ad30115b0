import { CartesianGrid, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { StoryDetail } from '../../lib/api/stories.ts';

const DAY_MS = 86_400_000;
const ROW_HEIGHT = 30; // px per outlet

/** When each outlet covered the story: one point per article on a day axis, one row per outlet. */
export function StoryTimeline({ story }: { story: StoryDetail }) {
  const dated = story.documents.filter((d) => d.day !== null && d.counted);
  if (dated.length === 0) return <p className="muted">No article of this story has a day-precise date.</p>;
  const outlets = [...new Set(dated.map((d) => d.source))];
  const points = dated.map((d) => ({ t: Date.parse(`${d.day}T00:00:00Z`), outlet: d.source, title: d.title }));
  const lo = Math.min(...points.map((p) => p.t)) - DAY_MS;
  const hi = Math.max(...points.map((p) => p.t)) + DAY_MS;
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const days = Math.round((hi - lo) / DAY_MS);
  // A tick per day while the story spans a couple of weeks at most; beyond, recharts spaces them.
  const ticks = days <= 14 ? Array.from({ length: days + 1 }, (_, k) => lo + k * DAY_MS) : undefined;
  return (
    <div data-chart="story-timeline" data-testid="story-timeline">
      <ScatterChart responsive style={{ width: '100%', height: outlets.length * ROW_HEIGHT + 70 }} margin={{ left: 10, right: 30, top: 10 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis type="number" dataKey="t" domain={[lo, hi]} scale="time" tickFormatter={day} name="published" ticks={ticks} />
        <YAxis type="category" dataKey="outlet" width={170} interval={0} tick={{ fontSize: 12 }} allowDuplicatedCategory={false} />
        <Tooltip formatter={(v, name) => (name === 'published' ? day(Number(v)) : String(v))} />
        <Scatter data={points} fill="#1d2330" isAnimationActive={false} />
      </ScatterChart>
    </div>
  );
}
