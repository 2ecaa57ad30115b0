import type { ImportReport } from '../../lib/api/corpus.ts';

/** The per-file lines of an import report. */
export function ImportResults({ report }: { report: ImportReport }) {
  const t = report.totals;
  return (
    <div className="corpus-results" aria-label="Import results">
      <p>
        {t.documents} documents imported, {t.unchangedDocuments} unchanged, {t.passages} passages, {t.labels} labels
        {t.attachedLabels > 0 ? `, ${t.attachedLabels} labels on stored documents` : ''}
        {t.duplicates > 0 ? `, ${t.duplicates} linked as copies of another outlet's story` : ''}
        {t.rejected > 0 ? `, ${t.rejected} rows rejected` : ''}
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
            <th>Rejected rows</th>
            <th>Warnings</th>
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
              <td>{f.rejected}</td>
              <td>{f.warningCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.files
        .filter((f) => f.rejects.length > 0 || f.warnings.length > 0)
        .map((f) => (
          <div key={f.file} className="corpus-row-issues" aria-label={`Row problems in ${f.file}`}>
            <h3>{f.file}</h3>
            {f.rejects.length > 0 && (
              <table className="grid corpus-rejects">
                <caption>
                  Rejected rows ({f.rejected}
                  {f.rejected > f.rejects.length ? `, the first ${f.rejects.length} shown` : ''})
                </caption>
                <thead>
                  <tr>
                    <th>Line</th>
                    <th>Column</th>
                    <th>Reason</th>
                  </tr>
                </thead>
                <tbody>
                  {f.rejects.map((r, i) => (
                    <tr key={i}>
                      <td>{r.line ?? ''}</td>
                      <td>{r.column ?? ''}</td>
                      <td>{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {f.warnings.length > 0 && (
              <ul className="corpus-warnings">
                {f.warnings.map((w, i) => (
                  <li key={i}>
                    {w.line === null ? '' : `line ${w.line}: `}
                    {w.reason}
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
    </div>
  );
}
