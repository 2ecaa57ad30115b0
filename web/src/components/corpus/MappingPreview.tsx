import type { ColumnPreview } from '../../lib/api/corpus.ts';

/** The fields a column can fill, in the order the mapping form shows them. */
const FIELDS: { field: keyof ColumnPreview['mapping']; label: string }[] = [
  { field: 'text', label: 'Text' },
  { field: 'title', label: 'Title' },
  { field: 'source', label: 'Source' },
  { field: 'published', label: 'Published' },
  { field: 'url', label: 'URL' },
  { field: 'author', label: 'Author' },
  { field: 'language', label: 'Language' },
  { field: 'id', label: 'External id' },
  { field: 'label', label: 'Label' },
  { field: 'stance', label: 'Stance' },
  { field: 'themes', label: 'Themes' },
];

/** A mapping as the import's `map` parameter: `text=content,title=headline`. */
export function mapSpec(mapping: ColumnPreview['mapping']): string {
  return Object.entries(mapping)
    .filter(([, column]) => column !== null)
    .map(([field, column]) => `${field}=${column}`)
    .join(',');
}

/**
 * The detected columns of a row file with its first rows, and the proposed mapping as one
 * select per field, which the user can change before importing. Columns no field reads are
 * shown as kept metadata.
 */
export function MappingPreview({ preview, mapping, onChange }: { preview: ColumnPreview; mapping: ColumnPreview['mapping']; onChange: (m: ColumnPreview['mapping']) => void }) {
  const used = new Set(Object.values(mapping).filter((c): c is string => c !== null));
  const metadata = preview.columns.filter((c) => !used.has(c));
  return (
    <div className="mapping-preview" aria-label="Column mapping">
      <h3>
        {preview.file}: {preview.columns.length} columns ({preview.format.toUpperCase()})
      </h3>
      <div className="mapping-fields">
        {FIELDS.map(({ field, label }) => (
          <label key={field}>
            {label}
            <select aria-label={`Column for ${label}`} value={mapping[field] ?? ''} onChange={(e) => onChange({ ...mapping, [field]: e.target.value === '' ? null : e.target.value })}>
              <option value="">(none)</option>
              {preview.columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <p className="muted" aria-label="Kept as metadata">
        {metadata.length > 0 ? `Kept as document metadata: ${metadata.join(', ')}` : 'Every column is mapped to a field.'}
      </p>
      {mapping.text === null && <p className="error">Choose the column that holds the text.</p>}
      <div className="mapping-table">
        <table className="grid">
          <thead>
            <tr>
              {preview.columns.map((c) => (
                <th key={c}>
                  {c}
                  <span className="muted"> {Object.entries(mapping).find(([, col]) => col === c)?.[0] ?? 'metadata'}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r, i) => (
              <tr key={i}>
                {preview.columns.map((c) => (
                  <td key={c}>{r[c] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.problems.length > 0 && (
        <ul className="error">
          {preview.problems.map((p) => (
            <li key={p.line ?? -1}>
              line {p.line}: {p.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
