import { useState } from 'react';
import { dashboardApi } from '../../lib/api/dashboard.ts';
import { ChartCard, fmt } from './ChartCard.tsx';
import { Heatmap, type HeatCell } from './Heatmap.tsx';
import { unitDrill, type ViewProps } from './types.ts';
import { useView } from './useView.ts';

const DEFAULT_LIMIT = 40; // sources in the matrix before "show all"

/** Jensen–Shannon distances between source profiles, as a matrix, with each source's nearest neighbour. */
export function SimilarityView({ params, paramsKey, onDrill }: ViewProps) {
  const [profile, setProfile] = useState<'combined' | 'framing' | 'themes'>('combined');
  const [limit, setLimit] = useState<number | 'all'>(DEFAULT_LIMIT);
  const { data, error } = useView(() => dashboardApi.similarity(params, limit), `${paramsKey}|${limit}`);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading source similarity…</p>;
  const matrix = data[profile];
  const names = data.sources.map((s) => s.source);
  // Close sources should look dark: colour by similarity (1 − distance).
  const cells: HeatCell[][] = data.sources.map((a, i) =>
    data.sources.map((b, j) => {
      const d = matrix[i]![j] ?? null;
      return {
        value: d === null ? null : 1 - d,
        tooltip: `${a.source} ↔ ${b.source}: distance ${fmt(d, 3)}`,
        onClick: () => {
          const scope = unitDrill(a, data.groupBy);
          if (scope) onDrill({ title: `${a.source}: all counted items`, ...scope });
        },
      };
    }),
  );
  const csv = {
    header: ['source', ...names, 'nearest', 'nearest_distance'],
    rows: data.sources.map((s, i) => [s.source, ...matrix[i]!, s.nearest?.source ?? null, s.nearest?.distance ?? null]),
  };
  return (
    <ChartCard
      id="similarity"
      title="Source similarity"
      statement={`${data.statement} Jensen–Shannon distance (0 = same profile, 1 = nothing in common) between ${profile === 'combined' ? 'framing and theme profiles (mean of the two)' : `${profile} profiles`}.`}
      source={data}
      data={csv}
      controls={
        <select value={profile} onChange={(e) => setProfile(e.target.value as typeof profile)} aria-label="Similarity profile">
          <option value="combined">framing + themes</option>
          <option value="framing">framing labels</option>
          <option value="themes">themes</option>
        </select>
      }
    >
      {data.sources.length < 2 ? (
        <p className="muted">At least two sources with labelled items are needed to compare.</p>
      ) : (
        <>
          <div className="dash-scroll">
            <Heatmap rows={names} columns={names} cells={cells} cellText={(i, j) => fmt(matrix[i]![j] ?? null)} ariaLabel="Distances between sources" colour={[15, 118, 110]} />
          </div>
          {data.omitted > 0 && (
            <button type="button" onClick={() => setLimit('all')}>
              Show all {data.sources.length + data.omitted} sources (the {data.omitted} smallest are left out)
            </button>
          )}
        </>
      )}
    </ChartCard>
  );
}
