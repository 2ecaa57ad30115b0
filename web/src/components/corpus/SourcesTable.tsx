import { useState } from 'react';
import { updateSource, type Source } from '../../lib/api/corpus.ts';
import { UserText, WebLink } from '../UserText.tsx';

/** Sources with their counts; each row editable in place. */
export function SourcesTable({ sources, selected, onSelect, onChanged }: { sources: Source[]; selected: number | null; onSelect: (id: number | null) => void; onChanged: () => void }) {
  const [editing, setEditing] = useState<number | null>(null);
  const groupings = [...new Set(sources.flatMap((s) => Object.keys(s.groups)))].sort();
  return (
    <section className="panel" aria-label="Sources">
      <h2>Sources</h2>
      <table className="grid">
        <thead>
          <tr>
            <th>Name</th>
            <th>Country</th>
            <th>Language</th>
            <th>Groups</th>
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
              <SourceEditor key={s.id} source={s} groupings={groupings} onDone={(changed) => (setEditing(null), changed && onChanged())} />
            ) : (
              <tr key={s.id} className={selected === s.id ? 'corpus-selected' : undefined}>
                <td>
                  <button className="linklike" onClick={() => onSelect(selected === s.id ? null : s.id)} title="Show this source's documents">
                    <UserText text={s.name} />
                  </button>
                </td>
                <td>{s.country}</td>
                <td>{s.language}</td>
                <td data-testid="source-groups">
                  {Object.entries(s.groups).map(([g, v]) => (
                    <span key={g} className="badge">
                      {g}: <UserText text={v} />
                    </span>
                  ))}
                </td>
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

function SourceEditor({ source, groupings, onDone }: { source: Source; groupings: string[]; onDone: (changed: boolean) => void }) {
  const [name, setName] = useState(source.name);
  const [country, setCountry] = useState(source.country ?? '');
  const [language, setLanguage] = useState(source.language ?? '');
  const [groups, setGroups] = useState<Record<string, string>>(() => Object.fromEntries(groupings.map((g) => [g, source.groups[g] ?? ''])));
  const [newGrouping, setNewGrouping] = useState('');
  const [newValue, setNewValue] = useState('');
  const [url, setUrl] = useState(source.url ?? '');
  const [notes, setNotes] = useState(source.notes ?? '');
  const [error, setError] = useState<string | null>(null);
  const blankToNull = (v: string) => (v.trim() === '' ? null : v.trim());
  async function save() {
    try {
      const patch: Record<string, string | null> = Object.fromEntries(Object.entries(groups).map(([g, v]) => [g, blankToNull(v)]));
      if (newGrouping.trim() !== '') patch[newGrouping.trim()] = blankToNull(newValue);
      await updateSource(source.id, { name: name.trim(), country: blankToNull(country), language: blankToNull(language), url: blankToNull(url), notes: blankToNull(notes), groups: patch });
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
        <input aria-label="Language" value={language} onChange={(e) => setLanguage(e.target.value)} size={6} />
      </td>
      <td className="corpus-groups-editor">
        {groupings.map((g) => (
          <label key={g}>
            {g}{' '}
            <input aria-label={`Group in ${g}`} value={groups[g] ?? ''} onChange={(e) => setGroups({ ...groups, [g]: e.target.value })} size={12} />
          </label>
        ))}
        <label>
          new grouping <input aria-label="New grouping name" placeholder="e.g. alignment" value={newGrouping} onChange={(e) => setNewGrouping(e.target.value)} size={10} />
        </label>
        <input aria-label="New grouping value" placeholder="value" value={newValue} onChange={(e) => setNewValue(e.target.value)} size={10} />
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
