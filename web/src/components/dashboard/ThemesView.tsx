import { useState } from 'react';
import { dashboardApi } from '../../lib/api/dashboard.ts';
import { ChartCard, pct } from './ChartCard.tsx';
import { Heatmap, type HeatCell } from './Heatmap.tsx';
import { TOP_N, unitDrill, type ViewProps } from './types.ts';
import { useView } from './useView.ts';

/** Themes by source (heatmap of shares, counts on hover) and the label × theme view. */
export function ThemesView({ params, paramsKey, onDrill }: ViewProps) {
  const { data, error } = useView(() => dashboardApi.themes(params), paramsKey);
  const [showAll, setShowAll] = useState(false);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading themes…</p>;
  const themes = data.codebook.themes;
  const labels = data.codebook.labels;
  // A row is a source or, grouped, a group: keyed by either.
  const unitKey = (u: { sourceId: number | null; group: string | null }) => (u.sourceId !== null ? String(u.sourceId) : `group:${u.group}`);
  const byCell = new Map(data.cells.map((c) => [`${unitKey(c)}\u0000${c.theme}`, c]));
  const byLabelCell = new Map(data.labelCells.map((c) => [`${c.label}\u0000${c.theme}`, c]));
  const sources = data.sources.filter((s) => s.counted > 0);
  // With an others row the server already kept only the largest (top): all of them are drawn.
  const shown = showAll || data.others > 0 ? sources : sources.slice(0, TOP_N);
  const unit = data.level === 'passage' ? 'passages' : 'documents';
  const sourceCells: HeatCell[][] = shown.map((s) =>
    themes.map((t) => {
      const c = byCell.get(`${unitKey(s)}\u0000${t.id}`);
      return {
        value: c ? c.share : 0,
        tooltip: `${s.source} · ${t.name}: ${c?.count ?? 0} of ${s.counted} ${unit} (${pct(c?.share ?? 0)})`,
        onClick: () => {
          const scope = unitDrill(s, data.groupBy);
          if (scope) onDrill({ title: `${s.source}: ${t.name}`, ...scope, theme: t.id });
        },
      };
    }),
  );
  const labelCells: HeatCell[][] = labels.map((l) =>
    themes.map((t) => {
      const c = byLabelCell.get(`${l.id}\u0000${t.id}`);
      return {
        value: c ? c.share : 0,
        tooltip: `${l.name} · ${t.name}: ${c?.count ?? 0} of ${data.labelCounts[l.id] ?? 0} ${unit} (${pct(c?.share ?? 0)})`,
        onClick: () => onDrill({ title: `${l.name}: ${t.name}`, label: l.id, theme: t.id }),
      };
    }),
  );
  const csv = {
    header: ['source', 'theme', 'count', 'share', 'source_counted'],
    rows: sources.flatMap((s) =>
      themes.map((t) => {
        const c = byCell.get(`${unitKey(s)}\u0000${t.id}`);
        return [s.source, t.id, c?.count ?? 0, c?.share ?? 0, s.counted];
      }),
    ),
  };
  const labelCsv = {
    header: ['label', 'theme', 'count', 'share', 'label_counted'],
    rows: labels.flatMap((l) =>
      themes.map((t) => {
        const c = byLabelCell.get(`${l.id}\u0000${t.id}`);
        return [l.id, t.id, c?.count ?? 0, c?.share ?? 0, data.labelCounts[l.id] ?? 0];
      }),
    ),
  };
  return (
    <>
      <ChartCard id="themes" title="Themes by source" statement={`${data.statement} Share of each source's ${unit} that touch each theme; hover for counts.`} source={data} data={csv}>
        {sources.length === 0 ? (
          <p className="muted">No labelled items under these filters.</p>
        ) : (
          <>
            <div className="dash-scroll">
              <Heatmap
                rows={shown.map((s) => s.source)}
                columns={themes.map((t) => t.name)}
                cells={sourceCells}
                cellText={(i, j) => pct(sourceCells[i]![j]!.value)}
                ariaLabel="Theme shares by source"
              />
            </div>
            {data.others === 0 && sources.length > TOP_N && (
              <button type="button" onClick={() => setShowAll(!showAll)}>
                {showAll ? `Show the first ${TOP_N}` : `Show all ${sources.length} sources`}
              </button>
            )}
          </>
        )}
      </ChartCard>
      <ChartCard id="label-themes" title="Themes by framing label" statement={`${data.statement} Share of each label's ${unit} that touch each theme.`} source={data} data={labelCsv}>
        <div className="dash-scroll">
          <Heatmap
            rows={labels.map((l) => l.name)}
            columns={themes.map((t) => t.name)}
            cells={labelCells}
            cellText={(i, j) => pct(labelCells[i]![j]!.value)}
            ariaLabel="Theme shares by framing label"
            colour={[194, 65, 12]}
          />
        </div>
      </ChartCard>
    </>
  );
}
