import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { dashboardApi } from '../../lib/api/dashboard.ts';
import { ChartCard, labelColour, tick } from './ChartCard.tsx';
import type { ViewProps } from './types.ts';
import { useView } from './useView.ts';

const MAX_LINES = 8; // sources drawn at once (the server sends only these); others are reachable through the source filter

/** A period (YYYY or YYYY-MM) as ms since the epoch at its start, so the axis spaces periods by time, not by position. */
const periodTime = (period: string) => {
  const [year, month] = period.split('-').map(Number);
  return Date.UTC(year!, (month ?? 1) - 1, 1);
};

/** Mean stance or one label's share per source over months or years. */
export function TimelineChart({ params, paramsKey, onDrill }: ViewProps) {
  const [granularity, setGranularity] = useState<'month' | 'year'>('year');
  const [measure, setMeasure] = useState('stance');
  const { data, error } = useView(() => dashboardApi.timeline(params, granularity, MAX_LINES), `${paramsKey}|${granularity}`);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading the timeline…</p>;
  const labels = data.codebook.labels;
  const { periods } = data;
  // Keyed by name: a line is a source or, grouped, a group (names are unique either way).
  const lines = data.series
    .map((line) => ({ line, n: line.counted.reduce((a, n) => a + n, 0) }))
    .sort((a, b) => b.n - a.n)
    .slice(0, MAX_LINES)
    .map(({ line }) => line);
  const lineKey = new Map(lines.map((line, k) => [line.source, `s${k}`]));
  // A period without counted items of a line has no point on it (the line is drawn across).
  const chartData = periods.map((period, k) => {
    const point: Record<string, string | number | null> = { period, t: periodTime(period) };
    for (const line of lines) {
      if (line.counted[k] === 0) continue;
      point[lineKey.get(line.source)!] = measure === 'stance' ? line.meanStance[k]! : ((line.counts[measure]?.[k] ?? 0) / line.counted[k]!) * 100;
    }
    return point;
  });
  const measureName = measure === 'stance' ? 'mean stance' : `share ${labels.find((l) => l.id === measure)?.name ?? measure} (%)`;
  const csv = {
    header: ['source', 'period', 'counted', ...labels.flatMap((l) => [`${l.id}_count`, `${l.id}_share`]), 'mean_stance'],
    rows: periods.flatMap((period, k) =>
      data.series
        .filter((line) => line.counted[k]! > 0)
        .map((line) => [line.source, period, line.counted[k]!, ...labels.flatMap((l) => [line.counts[l.id]![k]!, line.counts[l.id]![k]! / line.counted[k]!]), line.meanStance[k]!]),
    ),
  };
  return (
    <ChartCard
      id="timeline"
      title="Over time"
      statement={`${data.statement} ${measureName} per ${granularity}. ${data.undated > 0 ? `${data.undated} items are undated or dated too coarsely for this granularity and are not shown.` : ''}`}
      source={data}
      data={csv}
      controls={
        <>
          <select value={granularity} onChange={(e) => setGranularity(e.target.value as 'month' | 'year')} aria-label="Time granularity">
            <option value="year">by year</option>
            <option value="month">by month</option>
          </select>
          <select value={measure} onChange={(e) => setMeasure(e.target.value)} aria-label="Timeline measure">
            <option value="stance">mean stance</option>
            {labels.map((l) => (
              <option key={l.id} value={l.id}>
                share {l.name}
              </option>
            ))}
          </select>
        </>
      }
    >
      {periods.length === 0 ? (
        <p className="muted">No dated documents under these filters: import documents with a published date to see trends.</p>
      ) : (
        <>
          <LineChart
            responsive
            style={{ width: '100%', height: 320 }}
            data={chartData}
            onClick={(state) => {
              const i = typeof state.activeTooltipIndex === 'number' ? state.activeTooltipIndex : Number(state.activeTooltipIndex);
              const period = periods[i];
              if (period) onDrill({ title: `${period}: all sources`, period, granularity });
            }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={['dataMin', 'dataMax']}
              ticks={chartData.map((p) => p.t as number)}
              tickFormatter={(t) => periods[chartData.findIndex((p) => p.t === t)] ?? ''}
              padding={{ left: 20, right: 20 }}
            />
            <YAxis domain={measure === 'stance' ? [data.codebook.stance.min, data.codebook.stance.max] : [0, 100]} allowDataOverflow tickFormatter={tick} />
            <Tooltip labelFormatter={(t) => periods[chartData.findIndex((p) => p.t === t)] ?? ''} formatter={(v) => tick(Number(v))} />
            <Legend />
            {lines.map((line, k) => (
              <Line key={line.source} dataKey={lineKey.get(line.source)!} name={line.source} stroke={labelColour(k)} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
          {data.omitted > 0 && (
            <p className="muted">
              Showing the {lines.length} sources with the most dated items; {data.omitted} more are not drawn. Choose sources in the filter to compare others.
            </p>
          )}
        </>
      )}
    </ChartCard>
  );
}
