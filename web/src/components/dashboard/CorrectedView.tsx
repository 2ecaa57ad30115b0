import { useState } from 'react';
import { CartesianGrid, ErrorBar, Legend, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { dashboardApi } from '../../lib/api/dashboard.ts';
import { categoryAxisWidth, ChartCard, nameTick, fmt, tick } from './ChartCard.tsx';
import { TOP_N, unitDrill, type ViewProps } from './types.ts';
import { useView } from './useView.ts';

/** Model-only against corrected estimates per source, for one label's share or the stance. */
export function CorrectedView({ params, paramsKey, onDrill }: ViewProps) {
  const { data, error } = useView(() => dashboardApi.corrected(params), paramsKey);
  const [outcome, setOutcome] = useState('stance');
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading corrected estimates…</p>;
  const labels = data.codebook.labels;
  const pick = (r: (typeof data.rows)[number]) => (outcome === 'stance' ? r.stance : r.labels[outcome]!);
  const rows = data.rows.slice(0, data.others > 0 ? undefined : TOP_N);
  const series = (kind: 'model' | 'corrected') =>
    rows.flatMap((r) => {
      const e = pick(r)[kind];
      return e ? [{ source: r.source, sourceId: r.sourceId, group: r.group, value: e.estimate, err: [e.estimate - e.low, e.high - e.estimate] as [number, number] }] : [];
    });
  const axisWidth = categoryAxisWidth(rows.map((r) => r.source));
  const sampleTotal = data.rows.reduce((a, r) => a + r.nSample, 0);
  const csv = {
    header: ['source', 'outcome', 'n_suggested', 'n_random_sample', 'model_estimate', 'model_low', 'model_high', 'correction', 'corrected_estimate', 'corrected_low', 'corrected_high'],
    rows: data.rows.flatMap((r) =>
      ['stance', ...labels.map((l) => l.id)].map((o) => {
        const e = o === 'stance' ? r.stance : r.labels[o]!;
        return [r.source, o, r.n, r.nSample, e.model?.estimate, e.model?.low, e.model?.high, e.correction, e.corrected?.estimate, e.corrected?.low, e.corrected?.high];
      }),
    ),
  };
  const help = (
    <details className="dash-help">
      <summary>How corrected estimates work</summary>
      <p>
        The model labels every item but makes mistakes, and its mistakes can differ between sources. People review a simple random sample of items (the review
        queue&rsquo;s random order, or blind review). For each source the corrected estimate is the model&rsquo;s share (or mean stance) over all its items plus
        the average human − model difference seen on that source&rsquo;s random sample. This design-based correction (in the spirit of Egami et al. 2023,
        &ldquo;design-based supervised learning&rdquo;) removes the model&rsquo;s bias without assuming the model is right, and its 95% interval accounts for both
        the model-labelled items and the size of the reviewed sample. Items reviewed in other queue orders are not random and do not count here.
      </p>
    </details>
  );
  return (
    <ChartCard
      id="corrected"
      title="Corrected estimates"
      statement={`${data.statement} ${sampleTotal} items in the random reviewed sample.`}
      source={data}
      data={csv}
      help={help}
      controls={
        <select value={outcome} onChange={(e) => setOutcome(e.target.value)} aria-label="Corrected outcome">
          <option value="stance">mean stance</option>
          {labels.map((l) => (
            <option key={l.id} value={l.id}>
              share {l.name}
            </option>
          ))}
        </select>
      }
    >
      {sampleTotal < 2 ? (
        <p className="muted">
          No random reviewed sample yet. Review items in the queue&rsquo;s <strong>random</strong> order (or blind) to get corrected estimates; until then only
          model-only numbers exist.
        </p>
      ) : (
        <div className="dash-scroll">
          <ScatterChart responsive style={{ width: '100%', height: Math.max(160, rows.length * 30 + 80) }} margin={{ left: 20, right: 30 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" dataKey="value" domain={outcome === 'stance' ? [data.codebook.stance.min, data.codebook.stance.max] : [0, 1]} allowDataOverflow tickFormatter={tick} />
            <YAxis type="category" dataKey="source" width={axisWidth} interval={0} allowDuplicatedCategory={false} tick={nameTick(axisWidth)} />
            <Tooltip formatter={(v) => fmt(Number(v), 3)} />
            <Legend />
            {(['model', 'corrected'] as const).map((kind) => (
              <Scatter
                key={kind}
                name={kind === 'model' ? 'model only' : 'corrected'}
                data={series(kind)}
                fill={kind === 'model' ? '#9aa3b2' : '#1d4ed8'}
                isAnimationActive={false}
                cursor="pointer"
                onClick={(p) => {
                  const row = (p as unknown as { payload: { source: string; sourceId: number | null; group: string | null } }).payload;
                  const scope = unitDrill(row, data.groupBy);
                  if (scope) onDrill({ title: `${row.source}: random reviewed sample`, ...scope, randomSample: '1' });
                }}
              >
                <ErrorBar dataKey="err" direction="x" width={5} />
              </Scatter>
            ))}
          </ScatterChart>
        </div>
      )}
    </ChartCard>
  );
}
