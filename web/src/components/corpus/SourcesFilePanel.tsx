import { useState } from 'react';
import { importSourcesFile, type SourcesImportReport } from '../../lib/api/corpus.ts';

/** Imports a CSV of sources (name, url, country, language, notes, one column per grouping) and lists what it did. */
export function SourcesFilePanel({ onImported }: { onImported: () => void }) {
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<SourcesImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function upload(file: File) {
    setBusy(true);
    setError(null);
    try {
      setReport(await importSourcesFile(file));
      onImported();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="panel" aria-label="Import sources">
      <summary>Import sources and their groups from a CSV</summary>
      <p className="muted">
        Columns: <code>name</code> (as documents name the outlet), <code>url</code>, <code>country</code>, <code>language</code>, <code>notes</code>, and any other column as a grouping
        (e.g. <code>alignment</code> with values such as state-aligned, independent). A column present sets that field on every row (an empty cell clears it); sources are matched
        by name and created when new.
      </p>
      <input type="file" accept=".csv,text/csv" aria-label="Sources CSV" disabled={busy} onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])} />
      {error && <p className="error">{error}</p>}
      {report && (
        <div data-testid="sources-import-report">
          <p>
            {report.created} created, {report.updated} updated, {report.rejected.length} rows rejected
            {report.groupings.length > 0 && `; groupings: ${report.groupings.join(', ')}`}
          </p>
          {report.rejected.length > 0 && (
            <ul>
              {report.rejected.map((r) => (
                <li key={r.line}>
                  line {r.line}: {r.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}
