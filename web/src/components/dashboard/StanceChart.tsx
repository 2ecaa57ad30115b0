import { useState } from 'react';
import { CartesianGrid, ErrorBar, ReferenceLine, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { dashboardApi } from '../../lib/api/dashboard.ts';
import { categoryAxisWidth, ChartCard, nameTick, fmt, tick } from './ChartCard.tsx';
import { TOP_N, unitDrill, type ViewProps } from './types.ts';
import { ShownOf } from './ShownOf.tsx';
import { useView } from './useView.ts';

const ROW_HEIGHT = 26; // px per source
/** Below this many items a source's interval is not drawn: a bootstrap over 2 or 3 items gives a zero or near-zero width that means nothing. */
const MIN_INTERVAL_ITEMS = 4;

/** Whether a source has too few items for its 95% interval to say anything. */
const tooFew = (r: { items: number }) => r.items < MIN_INTERVAL_ITEMS;

/** Mean stance per source with its 95% interval (dot and whisker); small samples flagged, never hidden. */
export function StanceChart({ params, paramsKey, onDrill }: ViewProps) {
  const { data, error } = useView(() => dashboardApi.stance(params), paramsKey);
  const [showAll, setShowAll] = useState(false);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading stance…</p>;
  const rows = [...data.rows].sort((a, b) => b.mean - a.mean || a.source.localeCompare(b.source));
  // With an others row the server already kept only the largest (top): all of them are drawn.
  const shown = showAll || data.others > 0 ? rows : rows.slice(0, TOP_N);
  const points = shown.map((r) => ({
    ...r,
    name: tooFew(r) ? `${r.source} (n=${r.items}, too few for an interval)` : r.small ? `${r.source} ⚑ small n` : r.source,
    err: tooFew(r) ? ([0, 0] as [number, number]) : ([r.mean - r.low, r.high - r.mean] as [number, number]),
  }));
  const axisWidth = categoryAxisWidth(points.map((p) => p.name));
  const stanceTicks = Array.from({ length: data.codebook.stance.max - data.codebook.stance.min + 1 }, (_, k) => data.codebook.stance.min + k);
  const { min, max, target } = data.codebook.stance;
  const csv = {
    header: ['source', 'mean_stance', 'ci95_low', 'ci95_high', 'items', 'documents', 'interval_method', 'small_sample'],
    rows: rows.map((r) => (tooFew(r) ? [r.source, r.mean, null, null, r.items, r.documents, 'too few', r.small] : [r.source, r.mean, r.low, r.high, r.items, r.documents, r.method, r.small])),
  };
  return (
    <ChartCard
      id="stance"
      title={`Stance by ${data.groupBy ?? 'source'}`}
      statement={`${data.statement} Mean stance toward ${target} (${min}..${max}) with a 95% interval from a bootstrap over documents (passages of one article are not independent; a source with a single document has its passages resampled, which understates the uncertainty). ⚑ marks fewer than 30 items or 5 documents; below ${MIN_INTERVAL_ITEMS} items no interval is drawn (too few).`}
      source={data}
      data={csv}
    >
      <ShownOf rows={data.rows.length} others={data.others} groupBy={data.groupBy} />
      {rows.length === 0 ? (
        <p className="muted">No stances under these filters.</p>
      ) : (
        <>
          <div className="dash-scroll">
            <ScatterChart responsive style={{ width: '100%', height: Math.max(160, shown.length * ROW_HEIGHT + 60) }} margin={{ left: 20, right: 30 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" dataKey="mean" domain={[min, max]} ticks={stanceTicks} allowDataOverflow tickFormatter={tick} name="mean stance" />
              <YAxis type="category" dataKey="name" width={axisWidth} interval={0} tick={nameTick(axisWidth)} allowDuplicatedCategory={false} />
              <ReferenceLine x={0} stroke="#9aa3b2" />
              <Tooltip
                content={({ payload }) => {
                  const p = payload?.[0]?.payload as (typeof points)[number] | undefined;
                  if (!p) return null;
                  return (
                    <div className="dash-tooltip">
                      <strong>{p.source}</strong>
                      <div>{tooFew(p) ? `mean ${fmt(p.mean)} (too few items for an interval)` : `mean ${fmt(p.mean)} [${fmt(p.low)}, ${fmt(p.high)}]`}</div>
                      <div>
                        {p.items} items in {p.documents} documents{p.small ? ' — small sample' : ''}
                      </div>
                    </div>
                  );
                }}
              />
              <Scatter
                data={points}
                fill="#1d2330"
                isAnimationActive={false}
                cursor="pointer"
                onClick={(p) => {
                  const row = (p as unknown as { payload: (typeof points)[number] }).payload;
                  const scope = unitDrill(row, data.groupBy);
                  if (scope) onDrill({ title: `${row.source}: items with a stance`, ...scope });
                }}
              >
                <ErrorBar dataKey="err" direction="x" width={6} stroke="#1d2330" />
              </Scatter>
            </ScatterChart>
          </div>
          {data.others === 0 && rows.length > TOP_N && (
            <button type="button" onClick={() => setShowAll(!showAll)}>
              {showAll ? `Show the first ${TOP_N}` : `Show all ${rows.length} sources`}
            </button>
          )}
        </>
      )}
    </ChartCard>
  );
}
