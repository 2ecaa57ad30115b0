import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { dashboardApi } from '../../lib/api/dashboard.ts';
import { ChartCard, fmt, pct } from './ChartCard.tsx';
import { Heatmap, type HeatCell } from './Heatmap.tsx';
import { TOP_N, type ViewProps } from './types.ts';
import { useView } from './useView.ts';

const STATUSES = [
  ['reviewed', '#4d7c0f'],
  ['adjudicated', '#0f766e'],
  ['rejected', '#b45309'],
  ['disputed', '#b91c1c'],
  ['unreviewed', '#cbd2dc'],
] as const;

/** Model and people: confusion matrix, agreement statistics, review progress per source. */
export function AgreementView({ params, paramsKey, onDrill }: ViewProps) {
  const { data, error } = useView(() => dashboardApi.agreement(params), paramsKey);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading model and people…</p>;
  const labels = data.codebook.labels;
  const count = (s: string, r: string) => data.confusion.find((c) => c.suggested === s && c.reviewed === r)?.count ?? 0;
  const rowTotals = labels.map((s) => labels.reduce((a, r) => a + count(s.id, r.id), 0));
  const cells: HeatCell[][] = labels.map((s, i) =>
    labels.map((r) => {
      const n = count(s.id, r.id);
      return {
        value: rowTotals[i]! > 0 ? n / rowTotals[i]! : 0,
        tooltip: `model ${s.name} → people ${r.name}: ${n} items`,
        onClick: () => onDrill({ title: `Model said ${s.name}, people said ${r.name}`, suggested: s.id, reviewed: r.id }),
      };
    }),
  );
  const confusionCsv = {
    header: ['suggested', 'people', 'count'],
    rows: labels.flatMap((s) => labels.map((r) => [s.id, r.id, count(s.id, r.id)])),
  };
  const progress = data.progress.slice(0, data.others > 0 ? undefined : TOP_N);
  const progressCsv = {
    header: ['source', 'items', 'suggested', 'unreviewed', 'reviewed', 'rejected', 'disputed', 'adjudicated', 'random_sample'],
    rows: data.progress.map((p) => [p.source, p.items, p.suggested, p.unreviewed, p.reviewed, p.rejected, p.disputed, p.adjudicated, p.randomSample]),
  };
  return (
    <>
      <ChartCard id="confusion" title="Model and people: suggested vs independent human labels" statement={data.statement} source={data} data={confusionCsv}>
        <p data-testid="agreement-stats">
          {data.pairs} items with both a suggestion and an independent human label · agreement {pct(data.percentAgreement)} · Cohen&rsquo;s κ {fmt(data.cohenKappa)} · mean |stance difference|{' '}
          {fmt(data.meanAbsStanceDifference)}
        </p>
        <p className="muted">Rows: the model&rsquo;s label; columns: the people&rsquo;s; colour: share of the row.</p>
        <Heatmap rows={labels.map((l) => `model: ${l.name}`)} columns={labels.map((l) => `people: ${l.name}`)} cells={cells} cellText={(i, j) => String(count(labels[i]!.id, labels[j]!.id))} ariaLabel="Confusion matrix" />
      </ChartCard>
      <ChartCard id="progress" title="Review progress by source" statement="Items per review status (people's work so far, bulk accepts included); the random sample of independent decisions feeds the corrected estimates." source={{ ...data, basis: 'people-bulk' }} data={progressCsv}>
        {progress.length === 0 ? (
          <p className="muted">No items yet.</p>
        ) : (
          <div className="dash-scroll">
            <BarChart responsive style={{ width: '100%', height: Math.max(160, progress.length * 26 + 70) }} data={progress} layout="vertical" margin={{ left: 20, right: 20 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" />
              <YAxis type="category" dataKey="source" width={220} interval={0} tick={{ fontSize: 12 }} />
              <Tooltip />
              <Legend />
              {STATUSES.map(([s, colour]) => (
                <Bar key={s} dataKey={s} stackId="p" fill={colour} isAnimationActive={false} />
              ))}
            </BarChart>
          </div>
        )}
        {data.progress.length > TOP_N && <p className="muted">The first {TOP_N} of {data.progress.length} sources; the CSV has all.</p>}
      </ChartCard>
    </>
  );
}
