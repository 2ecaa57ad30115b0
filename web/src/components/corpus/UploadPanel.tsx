import { useEffect, useRef, useState, type DragEvent } from 'react';
import { isRowFile, previewUpload, uploadFiles, type ColumnPreview } from '../../lib/api/corpus.ts';
import { followJob, importReportOf, type JobView } from '../../lib/api/jobs.ts';
import { JobProgressBar } from '../jobs/JobProgressBar.tsx';
import { ImportResults } from './ImportResults.tsx';
import { mapSpec, MappingPreview } from './MappingPreview.tsx';

/** A row file waiting for its mapping to be confirmed. */
interface Pending {
  file: File;
  preview: ColumnPreview;
  mapping: ColumnPreview['mapping'];
}

/** Drag-and-drop and file-picker upload, with optional metadata, live progress and per-file results. */
export function UploadPanel({ onImported }: { onImported: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [source, setSource] = useState('');
  const [map, setMap] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [job, setJob] = useState<JobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [strict, setStrict] = useState(false);
  const [evaluationOnly, setEvaluationOnly] = useState(false);
  const [dateOrder, setDateOrder] = useState<'' | 'mdy' | 'dmy' | 'ymd'>('');

  // The import runs as a job on the server: follow it, showing each file's result as it finishes.
  const jobId = job?.id ?? null;
  useEffect(() => {
    if (jobId === null) return;
    return followJob(jobId, setJob, (final) => {
      setJob(final);
      if (final.error) setError(final.error);
      onImported();
    });
  }, [jobId, onImported]);
  const report = job ? importReportOf(job) : null;

  /** One row file is previewed first, so its mapping can be checked and changed; anything else imports at once. */
  async function choose(files: File[]) {
    if (files.length === 0) return;
    setError(null);
    setJob(null);
    if (files.length === 1 && isRowFile(files[0]!.name)) {
      try {
        const preview = await previewUpload(files[0]!, map);
        setPending({ file: files[0]!, preview, mapping: preview.mapping });
      } catch (e) {
        setError((e as Error).message);
      } finally {
        if (input.current) input.current.value = '';
      }
      return;
    }
    await send(files, map);
  }

  async function send(files: File[], columnMap: string) {
    setError(null);
    setJob(null);
    setPending(null);
    setProgress(0);
    try {
      setJob(await uploadFiles(files, { source, map: columnMap, strict, evaluationOnly, dateOrder: dateOrder || undefined }, setProgress));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  }

  function onDrop(e: DragEvent) {
    e.preventDefault();
    setDragging(false);
    void choose(Array.from(e.dataTransfer.files));
  }

  return (
    <section className="panel" aria-label="Upload">
      <h2>Import files</h2>
      <div
        className={`corpus-dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop .txt, .md, .html files, or a row file (.csv, .tsv, .jsonl, .json, .xlsx, also gzipped) here (a manifest.json alongside supplies their metadata), or</p>
        <label className="corpus-pick">
          <input
            ref={input}
            type="file"
            multiple
            accept=".txt,.text,.md,.markdown,.html,.htm,.csv,.tsv,.tab,.jsonl,.ndjson,.json,.xlsx,.gz"
            aria-label="Choose files"
            onChange={(e) => void choose(Array.from(e.target.files ?? []))}
          />
        </label>
        <div className="row corpus-upload-fields">
          <label>
            Source <input value={source} onChange={(e) => setSource(e.target.value)} placeholder="outlet (optional)" />
          </label>
          <label>
            Column map <input value={map} onChange={(e) => setMap(e.target.value)} placeholder="text=content,title=headline" />
          </label>
          <label>
            <input type="checkbox" checked={strict} onChange={(e) => setStrict(e.target.checked)} /> All or nothing (one bad row and none of the file)
          </label>
          <label title="The files' labels are a held-out set coded by people: evals score against them (eval --gold db --evaluation-only); the local model never trains on them">
            <input type="checkbox" checked={evaluationOnly} onChange={(e) => setEvaluationOnly(e.target.checked)} /> Evaluation only (labels held out: scored against, never trained on)
          </label>
          <label>
            Dates like 3/4/2024{' '}
            <select value={dateOrder} onChange={(e) => setDateOrder(e.target.value as typeof dateOrder)} aria-label="Date order">
              <option value="">decided by the file</option>
              <option value="mdy">month/day/year</option>
              <option value="dmy">day/month/year</option>
              <option value="ymd">year/month/day</option>
            </select>
          </label>
        </div>
        <p className="muted">Up to 64 MiB per upload (32 MiB per text, Markdown or HTML file); larger row files import from the command line. A bad row is reported with its line and skipped; the others import.</p>
      </div>
      {progress !== null && (
        <p role="status">
          {progress < 1 ? `Uploading… ${Math.round(progress * 100)}%` : 'Saving the files…'} <progress max={1} value={progress < 1 ? progress : undefined} />
        </p>
      )}
      {job && (
        <div role="status" aria-label="Import progress">
          <span className={`badge job-${job.state}`}>{job.state === 'completed' ? 'imported' : job.state}</span> <JobProgressBar job={job} />
        </div>
      )}
      {pending && (
        <div className="panel">
          <MappingPreview preview={pending.preview} mapping={pending.mapping} onChange={(mapping) => setPending({ ...pending, mapping })} />
          <div className="row">
            <button className="primary" disabled={pending.mapping.text === null} onClick={() => void send([pending.file], mapSpec(pending.mapping))}>
              Import with this mapping
            </button>
            <button onClick={() => setPending(null)}>Cancel</button>
          </div>
        </div>
      )}
      {error && <p className="error">{error}</p>}
      {report && <ImportResults report={report} />}
    </section>
  );
}
