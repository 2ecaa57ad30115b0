import { useRef, useState } from 'react';
import { addCodebook, type StoredCodebook } from '../../lib/api/codebooks.ts';

/** Picks a codebook JSON file and stores it (activated, unless `activate` is off), reporting the server's verdict. */
export function CodebookUpload({ onStored, activate = true, label = 'Upload a codebook (JSON)' }: { onStored: (c: StoredCodebook) => void; activate?: boolean; label?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stored, setStored] = useState<StoredCodebook | null>(null);

  async function send(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    setError(null);
    setStored(null);
    try {
      const c = await addCodebook(await file.text(), activate);
      setStored(c);
      onStored(c);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  }

  return (
    <div className="codebook-upload">
      <label>
        {label} <input ref={input} type="file" accept=".json,application/json" aria-label={label} disabled={busy} onChange={(e) => void send(e.target.files?.[0])} />
      </label>
      {busy && <p role="status">Storing codebook…</p>}
      {stored && (
        <p role="status">
          Stored {stored.name} {stored.version}
          {stored.active ? ', now active.' : '.'}
        </p>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}
