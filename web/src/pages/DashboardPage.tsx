import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { AgreementView } from '../components/dashboard/AgreementView.tsx';
import { CorrectedView } from '../components/dashboard/CorrectedView.tsx';
import { DrillDownPanel } from '../components/dashboard/DrillDownPanel.tsx';
import { FilterBar } from '../components/dashboard/FilterBar.tsx';
import { FramingChart } from '../components/dashboard/FramingChart.tsx';
import { GroupComparison } from '../components/dashboard/GroupComparison.tsx';
import { GroupControls } from '../components/dashboard/GroupControls.tsx';
import { SimilarityView } from '../components/dashboard/SimilarityView.tsx';
import { StoryComparison } from '../components/dashboard/StoryComparison.tsx';
import { StanceChart } from '../components/dashboard/StanceChart.tsx';
import { DashboardFiltersText } from '../components/dashboard/ChartCard.tsx';
import { ThemesView } from '../components/dashboard/ThemesView.tsx';
import { TimelineChart } from '../components/dashboard/TimelineChart.tsx';
import { DEFAULT_TOP, type Drill } from '../components/dashboard/types.ts';
import { useView } from '../components/dashboard/useView.ts';
import { ModelQualityNote } from '../components/tagging/ModelQualityNote.tsx';
import { dashboardApi, type DashboardParams } from '../lib/api/dashboard.ts';

const FILTER_KEYS = ['sources', 'from', 'to', 'provider', 'model', 'promptVersion', 'codebook', 'status', 'groupBy', 'group', 'top', 'story'] as const;

/** The two groups compared (page URL only, `a` and `b`; '' is the sources without a value). */
function compareFrom(sp: URLSearchParams): { a: string; b: string } | null {
  const a = sp.get('a');
  const b = sp.get('b');
  return a !== null && b !== null && sp.get('groupBy') ? { a, b } : null;
}

/** Reads the dashboard filters from the URL (the URL is the filter state). */
function paramsFrom(sp: URLSearchParams): DashboardParams {
  const basis = sp.get('basis');
  const level = sp.get('level');
  const p: DashboardParams = {
    basis: basis === 'model' || basis === 'people' ? basis : 'final',
    level: level === 'document' ? 'document' : 'passage',
  };
  // Bulk accepts are an opt-in of the people basis only (the API refuses it elsewhere).
  if (p.basis === 'people' && sp.get('includeBulk') === '1') p.includeBulk = '1';
  for (const k of FILTER_KEYS) {
    const v = sp.get(k);
    if (v) p[k] = v;
  }
  if (sp.get('syndicated') === 'exclude') p.syndicated = 'exclude';
  // 500 outlets stay legible: the largest have their own row, the rest one "others" row.
  p.top ??= String(DEFAULT_TOP);
  return p;
}

/** The filters in force, in words, as chart downloads state them. */
function filtersText(p: DashboardParams, sources: readonly { id: number; name: string }[]): string {
  const parts: string[] = [];
  if (p.sources) {
    const ids = p.sources.split(',');
    parts.push(`sources: ${ids.map((id) => sources.find((s) => String(s.id) === id)?.name ?? id).join(', ')}`);
  }
  if (p.from || p.to) parts.push(`published ${p.from ?? '…'} to ${p.to ?? '…'}`);
  if (p.provider) parts.push(`provider ${p.provider}`);
  if (p.model) parts.push(`model ${p.model}`);
  if (p.promptVersion) parts.push(`prompt ${p.promptVersion}`);
  if (p.status) parts.push(`review status ${p.status.split(',').join(', ')}`);
  if (p.syndicated === 'exclude') parts.push('syndicated copies left out');
  if (p.story) parts.push(`story ${p.story}`);
  return parts.length > 0 ? parts.join('; ') : 'all items';
}

/** The comparative dashboard: shared filters in the URL, every chart clickable and downloadable. */
export function DashboardPage() {
  const [sp, setSp] = useSearchParams();
  const params = useMemo(() => paramsFrom(sp), [sp]);
  const compare = useMemo(() => compareFrom(sp), [sp]);
  const paramsKey = JSON.stringify(params);
  const [drill, setDrill] = useState<Drill | null>(null);
  const meta = useView(() => dashboardApi.meta(params), `${params.level}|${params.codebook ?? ''}`);

  const update = (next: Partial<DashboardParams>, nextCompare = compare) => {
    const merged: Record<string, string | undefined> = { ...params, ...next };
    const out = new URLSearchParams();
    for (const [k, v] of Object.entries(merged)) if (v) out.set(k, v);
    // A comparison belongs to its grouping: another grouping drops it.
    if (nextCompare && merged.groupBy === params.groupBy) {
      out.set('a', nextCompare.a);
      out.set('b', nextCompare.b);
    }
    setSp(out);
    setDrill(null);
  };

  // With no level in the URL, open at the level that has labels (documents coded as a whole have no passage suggestions).
  const levels = meta.data?.levels;
  useEffect(() => {
    if (!levels || sp.has('level')) return;
    const has = (l: 'passage' | 'document') => levels[l].suggested + levels[l].reviewed > 0;
    if (params.level === 'passage' && !has('passage') && has('document')) {
      const next = new URLSearchParams(sp);
      next.set('level', 'document');
      setSp(next, { replace: true });
    }
  }, [levels, sp, params.level, setSp]);

  if (meta.error) return <p className="error">{meta.error}</p>;
  if (!meta.data) return <p className="muted">Loading the dashboard…</p>;
  const m = meta.data;
  const view = { params, paramsKey, onDrill: (d: Drill) => setDrill(d) };
  return (
    <DashboardFiltersText.Provider value={filtersText(params, m.sources)}>
    <div className="dash">
      <h1>Dashboard</h1>
      {m.totals.items === 0 ? (
        <section className="panel dash-empty">
          <h2>Nothing to compare yet</h2>
          <p>
            The dashboard compares sources once there are documents with labels. <Link to="/corpus">Import documents</Link> (or load the demo corpus) on the Corpus
            page, then <Link to="/tagging">run tagging</Link> to get model suggestions, and <Link to="/review">review</Link> items so people&rsquo;s decisions count.
          </p>
        </section>
      ) : (
        <>
          <p className="muted" data-testid="dash-totals">
            {m.sources.length} sources · {m.totals.items} {params.level === 'passage' ? 'passages' : 'documents'} (excluded passages never counted) ·{' '}
            {m.totals.suggested} with a model suggestion · {m.totals.reviewed} reviewed · {m.totals.randomSample} in the random reviewed sample
          </p>
          {m.totals.suggested === 0 && (
            <p className="panel">
              No item has a suggestion yet: <Link to="/tagging">run tagging</Link> to fill the charts.
            </p>
          )}
          <FilterBar meta={m} params={params} onChange={update} />
          {params.basis === 'model' && <ModelQualityNote />}
          <GroupControls
            groupBy={params.groupBy}
            compare={compare}
            top={params.top}
            onGroupBy={(groupBy) => update({ groupBy, group: undefined }, null)}
            onCompare={(c) => update({}, c)}
            onTop={(top) => update({ top })}
          />
          {drill && <DrillDownPanel key={JSON.stringify(drill)} params={params} paramsKey={paramsKey} drill={drill} onClose={() => setDrill(null)} />}
          {params.story && (
            <p className="panel" data-testid="story-filter">
              Only the articles of <Link to={`/stories/${params.story}`}>story {params.story}</Link>.{' '}
              <button type="button" className="linklike" onClick={() => update({ story: undefined })}>
                Show every article
              </button>
            </p>
          )}
          {compare && <GroupComparison {...view} a={compare.a} b={compare.b} />}
          {compare && <StoryComparison {...view} a={compare.a} b={compare.b} />}
          <FramingChart {...view} />
          <StanceChart {...view} />
          <ThemesView {...view} />
          <TimelineChart {...view} />
          <SimilarityView {...view} />
          <AgreementView {...view} />
          <CorrectedView {...view} />
        </>
      )}
    </div>
    </DashboardFiltersText.Provider>
  );
}
