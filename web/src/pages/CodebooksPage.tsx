import { useCallback, useEffect, useState } from 'react';
import { CodebookUpload } from '../components/codebooks/CodebookUpload.tsx';
import { activateCodebook, listCodebooks, type StoredCodebook } from '../lib/api/codebooks.ts';

/** One codebook in full: labels with definitions, the stance scale, themes. */
function CodebookDetail({ codebook }: { codebook: StoredCodebook }) {
  const d = codebook.definition;
  return (
    <section className="panel" aria-label={`Codebook ${d.name} ${d.version}`}>
      <h2>
        {d.name} {d.version} {codebook.active && <span className="badge">active</span>}
      </h2>
      {d.description && <p>{d.description}</p>}
      <h3>Labels</h3>
      <dl className="codebook-labels">
        {d.labels.map((l) => (
          <div key={l.id}>
            <dt>
              {l.name} <code>{l.id}</code>
            </dt>
            <dd>{l.definition}</dd>
          </div>
        ))}
      </dl>
      <h3>Stance</h3>
      <p>
        Toward {d.stance.target}: {d.stance.min} to {d.stance.max}
      </p>
      <h3>Themes</h3>
      <ul className="codebook-themes">
        {d.themes.map((t) => (
          <li key={t.id} title={t.definition}>
            {t.name} <code>{t.id}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Codebook page: every stored version, which one is active, activate another, upload a new one. */
export function CodebooksPage() {
  const [codebooks, setCodebooks] = useState<StoredCodebook[] | null>(null);
  const [shown, setShown] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  const refresh = useCallback(() => {
    listCodebooks()
      .then((c) => (setCodebooks(c), setError(null)))
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(refresh, [refresh]);

  async function activate(id: number) {
    setBusy(id);
    try {
      await activateCodebook(id);
      refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  }

  const active = codebooks?.find((c) => c.active) ?? null;
  const detail = codebooks?.find((c) => c.id === (shown ?? active?.id)) ?? null;
  return (
    <div className="codebooks-page">
      <h1>Codebooks</h1>
      <p className="muted">The active codebook is what new tagging runs, review and the dashboard use; imported labels must come from it. A stored version never changes: a change is a new version.</p>
      {error && <p className="error">{error}</p>}
      <section className="panel" aria-label="Stored codebooks">
        <table className="grid">
          <thead>
            <tr>
              <th>Codebook</th>
              <th>Version</th>
              <th>Labels</th>
              <th>Themes</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(codebooks ?? []).map((c) => (
              <tr key={c.id} className={c.active ? 'active' : undefined}>
                <td>
                  <button className="link" onClick={() => setShown(c.id)}>
                    {c.name}
                  </button>
                </td>
                <td>{c.version}</td>
                <td>{c.definition.labels.map((l) => l.id).join(', ')}</td>
                <td>{c.definition.themes.length}</td>
                <td>{c.active ? 'active' : 'stored'}</td>
                <td>
                  {!c.active && (
                    <button disabled={busy !== null} onClick={() => void activate(c.id)} aria-label={`Activate ${c.name} ${c.version}`}>
                      {busy === c.id ? 'Activating…' : 'Activate'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <CodebookUpload activate={false} label="Add a codebook (JSON)" onStored={refresh} />
      </section>
      {detail && <CodebookDetail codebook={detail} />}
    </div>
  );
}
