import { CartesianGrid, ErrorBar, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { dashboardApi, type GroupComparison as Comparison } from '../../lib/api/dashboard.ts';
import { ChartCard, fmt, pct } from './ChartCard.tsx';
import type { ViewProps } from './types.ts';
import { useView } from './useView.ts';

const ROW_HEIGHT = 34; // px per label

/** Percentage points, signed. */
const pp = (v: number | null) => (v === null ? '–' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} pp`);

/** Two groups of outlets side by side: each label's share and the mean stance in both, the difference and its 95% interval. */
export function GroupComparison({ params, paramsKey, onDrill, a, b }: ViewProps & { a: string; b: string }) {
  const { data, error } = useView(() => dashboardApi.compare(params, a, b), `${paramsKey}|${a}|${b}`);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Comparing the groups…</p>;
  const names = new Map(data.codebook.labels.map((l) => [l.id, l.name]));
  const points = data.labels.map((l) => ({
    name: names.get(l.label) ?? l.label,
    difference: l.difference === null ? null : l.difference * 100,
    err: l.low === null || l.high === null || l.difference === null ? [0, 0] : [(l.difference - l.low) * 100, (l.high - l.difference) * 100],
  }));
  const drill = (side: Comparison['a'], label?: string) =>
    onDrill({ title: `${side.name}${label ? `: ${names.get(label) ?? label}` : ': items with a stance'}`, group: `${data.groupBy}:${side.group}`, ...(label ? { label } : {}) });
  const csv = {
    header: ['measure', `${data.a.name}`, `${data.b.name}`, 'difference', 'ci95_low', 'ci95_high', 'interval_method'],
    rows: [...data.labels.map((l) => [`share ${l.label}`, l.a, l.b, l.difference, l.low, l.high, data.method]), ['mean stance', data.stance.a, data.stance.b, data.stance.difference, data.stance.low, data.stance.high, data.method]],
  };
  const method = data.method === 'bootstrap' ? 'a bootstrap that resamples documents within each group' : 'the document-clustered normal interval (many documents)';
  return (
    <ChartCard
      id="compare"
      title={`${data.a.name} compared with ${data.b.name}`}
      statement={`${data.statement} ${data.groupBy}: ${data.a.name} (${data.a.sources} sources, ${data.a.documents} documents) against ${data.b.name} (${data.b.sources} sources, ${data.b.documents} documents). Difference in share (percentage points) with a 95% interval from ${method}.`}
      source={data}
      data={csv}
    >
      <div data-testid="group-comparison">
        <ScatterChart responsive style={{ width: '100%', height: Math.max(140, points.length * ROW_HEIGHT + 60) }} margin={{ left: 10, right: 30 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" dataKey="difference" unit=" pp" name="difference" />
          <YAxis type="category" dataKey="name" width={160} interval={0} tick={{ fontSize: 12 }} allowDuplicatedCategory={false} />
          <ReferenceLine x={0} stroke="#9aa3b2" />
          <Tooltip formatter={(v) => `${fmt(Number(v), 1)} pp`} />
          <Scatter data={points} fill="#1d2330" isAnimationActive={false}>
            <ErrorBar dataKey="err" direction="x" width={6} stroke="#1d2330" />
          </Scatter>
        </ScatterChart>
        <table className="grid dash-compare-table">
          <thead>
            <tr>
              <th>Measure</th>
              <th>{data.a.name}</th>
              <th>{data.b.name}</th>
              <th>Difference</th>
              <th>95% interval</th>
            </tr>
          </thead>
          <tbody>
            {data.labels.map((l) => (
              <tr key={l.label} data-label={l.label}>
                <td>share {names.get(l.label) ?? l.label}</td>
                <td>
                  <button type="button" className="linklike" onClick={() => drill(data.a, l.label)}>
                    {pct(l.a)}
                  </button>
                </td>
                <td>
                  <button type="button" className="linklike" onClick={() => drill(data.b, l.label)}>
                    {pct(l.b)}
                  </button>
                </td>
                <td>{pp(l.difference)}</td>
                <td>{l.low === null ? 'too few documents' : `${pp(l.low)} to ${pp(l.high)}`}</td>
              </tr>
            ))}
            <tr data-label="stance">
              <td>mean stance</td>
              <td>
                <button type="button" className="linklike" onClick={() => drill(data.a)}>
                  {fmt(data.stance.a)}
                </button>
              </td>
              <td>
                <button type="button" className="linklike" onClick={() => drill(data.b)}>
                  {fmt(data.stance.b)}
                </button>
              </td>
              <td>{fmt(data.stance.difference)}</td>
              <td>{data.stance.low === null ? 'too few documents' : `${fmt(data.stance.low)} to ${fmt(data.stance.high)}`}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </ChartCard>
  );
}
