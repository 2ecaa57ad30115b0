import type { ExportPreview } from '../../lib/api/export.ts';

/** What the export will hold: row count, why it is empty, and the filters in words. */
export function ExportPreviewPanel({ preview, unit }: { preview: ExportPreview; unit: string }) {
  return (
    <section className="panel export-preview" aria-label="Export preview" aria-live="polite">
      <p>
        <strong data-testid="export-rows">{preview.rows.toLocaleString()}</strong> {unit}
        {preview.rows === 1 ? '' : 's'} match → <code>{preview.fileName}</code>
      </p>
      {preview.emptyReason && <p className="warning">The file will have no rows: {preview.emptyReason}.</p>}
      <ul className="export-filters">
        {preview.filters.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
    </section>
  );
}
