import { useState } from 'react';
import type { DashboardMeta, DashboardParams } from '../../lib/api/dashboard.ts';

const STATUSES = ['unreviewed', 'reviewed', 'rejected', 'disputed', 'adjudicated'] as const;

interface Props {
  meta: DashboardMeta;
  params: DashboardParams;
  onChange: (next: Partial<DashboardParams>) => void;
}

const splitList = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);

/** The filters every chart shares; each change rewrites the page URL. */
export function FilterBar({ meta, params, onChange }: Props) {
  const [sourceQuery, setSourceQuery] = useState('');
  const selectedSources = new Set(splitList(params.sources));
  const statuses = new Set(splitList(params.status));
  const providers = [...new Set(meta.provenance.map((p) => p.provider))];
  const models = [...new Set(meta.provenance.filter((p) => !params.provider || p.provider === params.provider).map((p) => p.model))];
  const prompts = [...new Set(meta.provenance.map((p) => p.promptVersion))];
  const matching = meta.sources.filter((s) => s.name.toLowerCase().includes(sourceQuery.toLowerCase()));
  const toggle = (set: Set<string>, value: string) => {
    const next = new Set(set);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    return [...next].join(',') || undefined;
  };
  return (
    <section className="panel dash-filters" aria-label="Dashboard filters">
      <div className="row">
        <fieldset className="dash-basis">
          <legend>Numbers from</legend>
          {(
            [
              ['model', 'Model'],
              ['people', 'People'],
              ['final', 'Final'],
            ] as const
          ).map(([value, name]) => (
            <label key={value}>
              <input type="radio" name="basis" value={value} checked={params.basis === value} onChange={() => onChange({ basis: value, includeBulk: undefined })} /> {name}
            </label>
          ))}
          {params.basis === 'people' && (
            <label title="Bulk accepts endorse the model's labels without reading each item; imported labels came with a file. Neither is an independent human decision.">
              <input type="checkbox" checked={params.includeBulk === '1'} onChange={(e) => onChange({ includeBulk: e.target.checked ? '1' : undefined })} /> include bulk accepts and imported labels
            </label>
          )}
        </fieldset>
        <label>
          Level{' '}
          <select value={params.level} onChange={(e) => onChange({ level: e.target.value as DashboardParams['level'] })} aria-label="Level">
            <option value="passage">passages</option>
            <option value="document">documents</option>
          </select>
        </label>
        <label>
          From <input size={10} placeholder="YYYY-MM-DD" defaultValue={params.from ?? ''} onBlur={(e) => onChange({ from: e.target.value || undefined })} aria-label="From date" />
        </label>
        <label>
          To <input size={10} placeholder="YYYY-MM-DD" defaultValue={params.to ?? ''} onBlur={(e) => onChange({ to: e.target.value || undefined })} aria-label="To date" />
        </label>
        <label>
          Provider{' '}
          <select value={params.provider ?? ''} onChange={(e) => onChange({ provider: e.target.value || undefined, model: undefined })} aria-label="Provider">
            <option value="">any</option>
            {providers.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Model{' '}
          <select value={params.model ?? ''} onChange={(e) => onChange({ model: e.target.value || undefined })} aria-label="Model">
            <option value="">any</option>
            {models.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <label>
          Prompt{' '}
          <select value={params.promptVersion ?? ''} onChange={(e) => onChange({ promptVersion: e.target.value || undefined })} aria-label="Prompt version">
            <option value="">any</option>
            {prompts.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Codebook{' '}
          <select value={params.codebook ?? ''} onChange={(e) => onChange({ codebook: e.target.value || undefined })} aria-label="Codebook">
            <option value="">active ({meta.codebook.name} {meta.codebook.version})</option>
            {meta.codebooks.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name} {c.version}
              </option>
            ))}
          </select>
        </label>
        <label>
          Syndicated copies{' '}
          <select value={params.syndicated ?? 'include'} onChange={(e) => onChange({ syndicated: e.target.value === 'exclude' ? 'exclude' : undefined })} aria-label="Syndicated copies">
            <option value="include">included</option>
            <option value="exclude">left out (each story counted at its first outlet)</option>
          </select>
        </label>
      </div>
      <div className="row">
        <span>Review status:</span>
        {STATUSES.map((s) => (
          <label key={s}>
            <input type="checkbox" checked={statuses.has(s)} onChange={() => onChange({ status: toggle(statuses, s) })} /> {s}
          </label>
        ))}
        <span className="muted">(none ticked: all)</span>
      </div>
      <details>
        <summary>
          Sources: {selectedSources.size === 0 ? `all ${meta.sources.length}` : `${selectedSources.size} selected`}
          {selectedSources.size > 0 && (
            <button type="button" className="dash-link" onClick={() => onChange({ sources: undefined })}>
              clear
            </button>
          )}
        </summary>
        <input placeholder="Find a source" value={sourceQuery} onChange={(e) => setSourceQuery(e.target.value)} aria-label="Find a source" />
        <div className="dash-source-list">
          {matching.map((s) => (
            <label key={s.id}>
              <input type="checkbox" checked={selectedSources.has(String(s.id))} onChange={() => onChange({ sources: toggle(selectedSources, String(s.id)) })} /> {s.name}{' '}
              <span className="muted">({s.items})</span>
            </label>
          ))}
        </div>
      </details>
    </section>
  );
}
