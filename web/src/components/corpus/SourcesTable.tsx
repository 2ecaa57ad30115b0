import { useState } from 'react';
import { updateSource, type Source } from '../../lib/api/corpus.ts';
import { UserText, WebLink } from '../UserText.tsx';

/** Sources with their counts; each row editable in place. */
export function SourcesTable({ sources, selected, onSelect, onChanged }: { sources: Source[]; selected: number | null; onSelect: (id: number | null) => void; onChanged: () => void }) {
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <section className="panel" aria-label="Sources">
      <h2>Sources</h2>
      <table className="grid">
        <thead>
          <tr>
            <th>Name</th>
            <th>Country</th>
            <th>URL</th>
            <th>Notes</th>
            <th>Documents</th>
            <th>Passages</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sources.map((s) =>
            editing === s.id ? (
              <SourceEditor key={s.id} source={s} onDone={(changed) => (setEditing(null), changed && onChanged())} />
            ) : (
              <tr key={s.id} className={selected === s.id ? 'corpus-selected' : undefined}>
                <td>
                  <button className="linklike" onClick={() => onSelect(selected === s.id ? null : s.id)} title="Show this source's documents">
                    <UserText text={s.name} />
                  </button>
                </td>
                <td>{s.country}</td>
                <td>{s.url && <WebLink url={s.url} />}</td>
                <td>{s.notes}</td>
                <td>{s.documentCount}</td>
                <td>{s.passageCount}</td>
                <td>
                  <button onClick={() => setEditing(s.id)}>Edit</button>
                </td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}

function SourceEditor({ source, onDone }: { source: Source; onDone: (changed: boolean) => void }) {
  const [name, setName] = useState(source.name);
  const [country, setCountry] = useState(source.country ?? '');
  const [url, setUrl] = useState(source.url ?? '');
  const [notes, setNotes] = useState(source.notes ?? '');
  const [error, setError] = useState<string | null>(null);
  const blankToNull = (v: string) => (v.trim() === '' ? null : v.trim());
  async function save() {
    try {
      await updateSource(source.id, { name: name.trim(), country: blankToNull(country), url: blankToNull(url), notes: blankToNull(notes) });
      onDone(true);
    } catch (e) {
      setError((e as Error).message);
    }
  }
  return (
    <tr className="corpus-editing">
      <td>
        <input aria-label="Source name" value={name} onChange={(e) => setName(e.target.value)} />
      </td>
      <td>
        <input aria-label="Country" value={country} onChange={(e) => setCountry(e.target.value)} />
      </td>
      <td>
        <input aria-label="URL" value={url} onChange={(e) => setUrl(e.target.value)} />
      </td>
      <td>
        <textarea aria-label="Notes" value={notes} onChange={(e) => setNotes(e.target.value)} rows={2} />
      </td>
      <td colSpan={2}>{error && <span className="error">{error}</span>}</td>
      <td>
        <button className="primary" onClick={() => void save()}>
          Save
        </button>{' '}
        <button onClick={() => onDone(false)}>Cancel</button>
      </td>
    </tr>
  );
}
