import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { listCodebooks, type StoredCodebook } from '../../lib/api/codebooks.ts';
import { CodebookUpload } from './CodebookUpload.tsx';

/**
 * The empty database's question: which codebook to start with. The bundled one is active from
 * the start; a team with its own labels uploads theirs here (activated at once), before importing
 * labelled files that follow it.
 */
export function CodebookChoice() {
  const [active, setActive] = useState<StoredCodebook | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listCodebooks()
      .then((all) => setActive(all.find((c) => c.active) ?? null))
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <div className="codebook-choice" aria-label="Codebook to start with">
      <h3>Which codebook?</h3>
      {error && <p className="error">{error}</p>}
      {active && (
        <p>
          Labels will follow <strong>{active.name} {active.version}</strong> ({active.definition.labels.map((l) => l.name).join(', ')}): keep it, or upload your team's codebook to start with that one instead. All
          stored codebooks are on the <Link to="/codebooks">Codebooks</Link> page.
        </p>
      )}
      <CodebookUpload label="Start with my own codebook (JSON)" onStored={setActive} />
    </div>
  );
}
