import type { ImportReport } from '../../lib/api/corpus.ts';

/** The per-file lines of an import report. */
export function ImportResults({ report }: { report: ImportReport }) {
  const t = report.totals;
  return (
    <div className="corpus-results" aria-label="Import results">
      <p>
        {t.documents} documents imported, {t.unchangedDocuments} unchanged, {t.passages} passages, {t.labels} labels
        {t.failed > 0 ? `, ${t.failed} files failed` : ''}.
      </p>
      <table className="grid">
        <thead>
          <tr>
            <th>File</th>
            <th>Status</th>
            <th>New</th>
            <th>Unchanged</th>
            <th>Passages</th>
            <th>Labels</th>
          </tr>
        </thead>
        <tbody>
          {report.files.map((f) => (
            <tr key={f.file} className={`corpus-status-${f.status}`}>
              <td>{f.file}</td>
              <td>{f.status === 'failed' ? <span className="error">{f.error}</span> : f.status}</td>
              <td>{f.documents}</td>
              <td>{f.unchanged}</td>
              <td>{f.passages}</td>
              <td>{f.labels}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
