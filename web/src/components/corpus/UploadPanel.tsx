import { useRef, useState, type DragEvent } from 'react';
import { uploadFiles, type ImportReport } from '../../lib/api/corpus.ts';
import { ImportResults } from './ImportResults.tsx';

/** Drag-and-drop and file-picker upload, with optional metadata, live progress and per-file results. */
export function UploadPanel({ onImported }: { onImported: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [source, setSource] = useState('');
  const [map, setMap] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function send(files: File[]) {
    if (files.length === 0) return;
    setError(null);
    setReport(null);
    setProgress(0);
    try {
      const r = await uploadFiles(files, { source, map }, setProgress);
      setReport(r);
      onImported();
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
    void send(Array.from(e.dataTransfer.files));
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
        <p>Drop .txt, .md, .html, .csv or .jsonl files here (a manifest.json alongside supplies their metadata), or</p>
        <label className="corpus-pick">
          <input ref={input} type="file" multiple accept=".txt,.text,.md,.markdown,.html,.htm,.csv,.jsonl,.ndjson,.json" aria-label="Choose files" onChange={(e) => void send(Array.from(e.target.files ?? []))} />
        </label>
        <div className="row corpus-upload-fields">
          <label>
            Source <input value={source} onChange={(e) => setSource(e.target.value)} placeholder="outlet (optional)" />
          </label>
          <label>
            Column map <input value={map} onChange={(e) => setMap(e.target.value)} placeholder="text=content,title=headline" />
          </label>
        </div>
        <p className="muted">Up to 32 MiB per file, 64 MiB per upload. Line endings become \n; the text is otherwise kept exactly.</p>
      </div>
      {progress !== null && (
        <p role="status">
          {progress < 1 ? `Uploading… ${Math.round(progress * 100)}%` : 'Importing…'} <progress max={1} value={progress < 1 ? progress : undefined} />
        </p>
      )}
      {error && <p className="error">{error}</p>}
      {report && <ImportResults report={report} />}
    </section>
  );
}
