import { useEffect, useMemo, useState } from 'react';
import { ChoiceGroup } from '../components/export/ChoiceGroup.tsx';
import { SourcePicker } from '../components/SourcePicker.tsx';
import { ExportPreviewPanel } from '../components/export/ExportPreviewPanel.tsx';
import { listSources, type Source } from '../lib/api/corpus.ts';
import { JobProgressBar } from '../components/jobs/JobProgressBar.tsx';
import { DEFAULT_EXPORT, exportJobFileUrl, exportUrl, listCodebooks, previewExport, startExportJob, type CodebookChoice, type ExportChoice, type ExportPreview } from '../lib/api/export.ts';
import { followJob, type JobView } from '../lib/api/jobs.ts';

const STATUS_HELP: Record<ExportChoice['status'], string> = {
  reviewed: 'only items a person decided',
  final: 'the person’s decision where there is one, else the model’s suggestion (final_origin says which)',
  all: 'every item, unlabelled ones too',
};

/**
 * Export page: choose format, level, status and filters; the page previews how many rows match
 * (and why none do), and the download link streams the file straight to disk.
 */
export function ExportPage() {
  const [choice, setChoice] = useState<ExportChoice>(DEFAULT_EXPORT);
  const [sources, setSources] = useState<Source[]>([]);
  const [codebooks, setCodebooks] = useState<CodebookChoice[]>([]);
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [job, setJob] = useState<JobView | null>(null);
  const jobId = job?.id ?? null;
  useEffect(() => (jobId === null ? undefined : followJob(jobId, setJob, setJob)), [jobId]);
  const prepare = () => {
    setJob(null);
    startExportJob(choice).then(setJob, (e: Error) => setError(e.message));
  };
  const set = <K extends keyof ExportChoice>(key: K, value: ExportChoice[K]) => setChoice((c) => ({ ...c, [key]: value }));

  useEffect(() => {
    listSources().then(setSources, (e: Error) => setError(e.message));
    listCodebooks().then(setCodebooks, (e: Error) => setError(e.message));
  }, []);

  useEffect(() => {
    let current = true;
    // Debounced: typing a date or a model name should not fire a count per keystroke.
    const timer = setTimeout(() => {
      previewExport(choice).then(
        (p) => current && (setPreview(p), setError(null)),
        (e: Error) => current && (setPreview(null), setError(e.message)),
      );
    }, 250); // 250 ms
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [choice]);

  const codebook = useMemo(
    () => codebooks.find((c) => String(c.id) === choice.codebook) ?? codebooks.find((c) => c.active) ?? codebooks[0] ?? null,
    [codebooks, choice.codebook],
  );
  const labels = (codebook?.definition.labels ?? []).map((l) => ({ value: l.id, label: l.name ?? l.id }));
  const themes = (codebook?.definition.themes ?? []).map((t) => ({ value: t.id, label: t.name ?? t.id }));

  return (
    <div className="export-page">
      <h1>Export</h1>
      <p className="muted">
        Every row carries its provenance: the final label and where it came from (model, reviewer, adjudication, import), the suggestions with provider, model,
        prompt and codebook versions, the reviewers and decision times.
      </p>
      {error && <p className="error" role="alert">{error}</p>}
      <form className="panel export-form" onSubmit={(e) => e.preventDefault()}>
        <div className="row">
          <label>
            Format{' '}
            <select aria-label="Format" value={choice.format} onChange={(e) => set('format', e.target.value as ExportChoice['format'])}>
              <option value="csv">CSV (spreadsheets)</option>
              <option value="jsonl">JSONL</option>
              <option value="parquet">Parquet</option>
            </select>
          </label>
          <label>
            Level{' '}
            <select aria-label="Level" value={choice.level} onChange={(e) => set('level', e.target.value as ExportChoice['level'])}>
              <option value="passage">one row per passage</option>
              <option value="document">one row per document</option>
            </select>
          </label>
          <label>
            Status{' '}
            <select aria-label="Status" value={choice.status} onChange={(e) => set('status', e.target.value as ExportChoice['status'])}>
              <option value="reviewed">reviewed</option>
              <option value="final">final</option>
              <option value="all">all</option>
            </select>
          </label>
          <span className="muted">{STATUS_HELP[choice.status]}</span>
        </div>
        <SourcePicker sources={sources} selected={choice.sources} onChange={(next) => set('sources', next)} />
        <div className="row">
          <label>
            Published from <input value={choice.from} placeholder="YYYY[-MM[-DD]]" size={12} onChange={(e) => set('from', e.target.value.trim())} />
          </label>
          <label>
            to <input value={choice.to} placeholder="YYYY[-MM[-DD]]" size={12} onChange={(e) => set('to', e.target.value.trim())} />
          </label>
          <label>
            Codebook{' '}
            <select value={choice.codebook} onChange={(e) => setChoice((c) => ({ ...c, codebook: e.target.value, labels: [], themes: [] }))}>
              <option value="">any</option>
              {codebooks.map((c) => (
                <option key={c.id} value={String(c.id)}>
                  {c.name} v{c.version}
                  {c.active ? ' (active)' : ''}
                </option>
              ))}
            </select>
          </label>
        </div>
        <ChoiceGroup legend="Final labels" options={labels} selected={choice.labels} onChange={(next) => set('labels', next)} />
        <ChoiceGroup legend="Final themes (any of)" options={themes} selected={choice.themes} onChange={(next) => set('themes', next)} />
        <div className="row">
          <label>
            Provider <input value={choice.provider} size={10} onChange={(e) => set('provider', e.target.value)} />
          </label>
          <label>
            Model <input value={choice.model} size={14} onChange={(e) => set('model', e.target.value)} />
          </label>
          <label>
            Prompt version <input value={choice.promptVersion} size={10} onChange={(e) => set('promptVersion', e.target.value)} />
          </label>
        </div>
        <div className="row">
          <label>
            <input type="checkbox" checked={choice.includeExcluded} onChange={(e) => set('includeExcluded', e.target.checked)} /> include excluded passages (with
            their reason)
          </label>
          <label>
            <input type="checkbox" checked={choice.bundle} onChange={(e) => set('bundle', e.target.checked)} /> dataset bundle (zip with codebook and dataset card)
          </label>
          {choice.format === 'csv' && (
            <label>
              <input type="checkbox" checked={choice.bom} onChange={(e) => set('bom', e.target.checked)} /> byte order mark (older spreadsheets)
            </label>
          )}
        </div>
      </form>
      {preview && <ExportPreviewPanel preview={preview} unit={choice.level} />}
      <p>
        <a className="export-download" href={exportUrl(choice)} download={preview?.fileName ?? true} aria-disabled={error !== null}>
          Download
        </a>{' '}
        <span className="muted">The download streams: it starts at once and your browser shows its progress.</span>
      </p>
      <p>
        <button onClick={prepare} disabled={error !== null}>
          Prepare the file on the server
        </button>{' '}
        <span className="muted">For large exports: written by a job (see Jobs), then downloaded in one go.</span>
      </p>
      {job && (
        <div className="panel" aria-label="Export job">
          <span className={`badge job-${job.state}`}>{job.state}</span> <JobProgressBar job={job} />
          {job.error && <p className="error">{job.error}</p>}
          {job.state === 'completed' && (
            <a className="export-download" href={exportJobFileUrl(job.id)}>
              Download the prepared file
            </a>
          )}
        </div>
      )}
      {choice.format === 'csv' && (
        <p className="muted">
          CSV: themes are joined with <code>|</code>; cells starting with = + - @, tab or carriage return get a leading <code>'</code> so spreadsheets never run
          them as formulas (Framescope’s import removes it).
        </p>
      )}
    </div>
  );
}
