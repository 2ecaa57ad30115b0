import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { dashboardApi, type FramingRow } from '../../lib/api/dashboard.ts';
import { categoryAxisWidth, ChartCard, nameTick, fmt, labelColour, tick } from './ChartCard.tsx';
import { TOP_N, unitDrill, type ViewProps } from './types.ts';
import { ShownOf } from './ShownOf.tsx';
import { useView } from './useView.ts';

const BAR_HEIGHT = 26; // px per source

/** Framing mix by source: 100% stacked bars, sortable by any label's share or by stance. */
export function FramingChart({ params, paramsKey, onDrill }: ViewProps) {
  const { data, error } = useView(() => dashboardApi.framing(params), paramsKey);
  const [sortBy, setSortBy] = useState('source');
  const [showAll, setShowAll] = useState(false);
  const labels = data?.codebook.labels ?? [];
  const sorted = useMemo(() => {
    const rows = [...(data?.rows ?? [])];
    const key = (r: FramingRow) => (sortBy === 'stance' ? (r.meanStance ?? -Infinity) : (r.shares[sortBy] ?? 0));
    if (sortBy !== 'source') rows.sort((a, b) => key(b) - key(a) || a.source.localeCompare(b.source));
    return rows;
  }, [data, sortBy]);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading framing mix…</p>;
  // With an others row the server already kept only the largest (top): all of them are drawn.
  const shown = showAll || data.others > 0 ? sorted : sorted.slice(0, TOP_N);
  const chartData = shown.map((r) => ({
    sourceId: r.sourceId,
    group: r.group,
    sourceName: r.source,
    source: r.small ? `${r.source} (n=${r.counted})` : r.source,
    ...Object.fromEntries(labels.map((l) => [l.id, r.shares[l.id]! * 100])),
  }));
  const axisWidth = categoryAxisWidth(chartData.map((d) => d.source));
  const csv = {
    header: ['source', 'counted', ...labels.flatMap((l) => [`${l.id}_count`, `${l.id}_share`]), 'mean_stance', 'disputed_left_out', 'small_sample'],
    rows: sorted.map((r) => [r.source, r.counted, ...labels.flatMap((l) => [r.counts[l.id]!, r.shares[l.id]!]), r.meanStance, r.disputed, r.small]),
  };
  return (
    <ChartCard
      id="framing"
      title={`Framing mix by ${data.groupBy ?? 'source'}`}
      statement={`${data.statement} Share of ${data.level === 'passage' ? 'passages' : 'documents'} per label.`}
      source={data}
      data={csv}
      controls={
        <label>
          Sort by{' '}
          <select value={sortBy} onChange={(e) => setSortBy(e.target.value)} aria-label="Sort framing mix by">
            <option value="source">volume (largest first)</option>
            {labels.map((l) => (
              <option key={l.id} value={l.id}>
                share {l.name}
              </option>
            ))}
            <option value="stance">mean stance</option>
          </select>
        </label>
      }
    >
      <ShownOf rows={data.rows.length} others={data.others} groupBy={data.groupBy} />
      {sorted.length === 0 ? (
        <p className="muted">No labelled items under these filters.</p>
      ) : (
        <>
          <div className="dash-scroll">
            <BarChart responsive style={{ width: '100%', height: Math.max(160, shown.length * BAR_HEIGHT + 70) }} data={chartData} layout="vertical" margin={{ left: 20, right: 20 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} allowDataOverflow tickFormatter={(v) => `${tick(v)}%`} />
              <YAxis type="category" dataKey="source" width={axisWidth} interval={0} tick={nameTick(axisWidth)} />
              <Tooltip formatter={(v) => `${fmt(Number(v), 1)}%`} />
              <Legend />
              {labels.map((l, k) => (
                <Bar
                  key={l.id}
                  dataKey={l.id}
                  name={l.name}
                  stackId="mix"
                  fill={labelColour(k)}
                  isAnimationActive={false}
                  cursor="pointer"
                  onClick={(entry) => {
                    const row = entry.payload as { sourceId: number | null; group: string | null; sourceName: string };
                    const scope = unitDrill(row, data.groupBy);
                    if (scope) onDrill({ title: `${row.sourceName}: ${l.name}`, ...scope, label: l.id });
                  }}
                />
              ))}
            </BarChart>
          </div>
          {data.others === 0 && sorted.length > TOP_N && (
            <button type="button" onClick={() => setShowAll(!showAll)}>
              {showAll ? `Show the first ${TOP_N}` : `Show all ${sorted.length} sources`}
            </button>
          )}
        </>
      )}
    </ChartCard>
  );
}
