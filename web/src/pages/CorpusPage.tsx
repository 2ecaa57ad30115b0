import { useCallback, useEffect, useState } from 'react';
import { DocumentsTable } from '../components/corpus/DocumentsTable.tsx';
import { ImportResults } from '../components/corpus/ImportResults.tsx';
import { SourcesFilePanel } from '../components/corpus/SourcesFilePanel.tsx';
import { SourcesTable } from '../components/corpus/SourcesTable.tsx';
import { UploadPanel } from '../components/corpus/UploadPanel.tsx';
import { CodebookChoice } from '../components/codebooks/CodebookChoice.tsx';
import { listSources, loadDemoCorpus, type ImportReport, type Source } from '../lib/api/corpus.ts';

/** Corpus page: upload, sources (editable), documents (search, paging); an empty corpus offers the demo. */
export function CorpusPage() {
  const [sources, setSources] = useState<Source[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [demoBusy, setDemoBusy] = useState(false);
  const [demoReport, setDemoReport] = useState<ImportReport | null>(null);

  const refresh = useCallback(() => {
    listSources()
      .then((s) => (setSources(s), setError(null)))
      .catch((e: Error) => setError(e.message));
    setRefreshKey((k) => k + 1);
  }, []);
  useEffect(refresh, [refresh]);

  async function loadDemo() {
    setDemoBusy(true);
    try {
      setDemoReport(await loadDemoCorpus());
      refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setDemoBusy(false);
    }
  }

  const empty = sources !== null && sources.length === 0;
  return (
    <div className="corpus-page">
      <h1>Corpus</h1>
      {error && <p className="error">{error}</p>}
      {empty && (
        <section className="panel corpus-empty" aria-label="Empty corpus">
          <h2>No documents yet</h2>
          <p>Load the bundled demo corpus — ten short, clearly fictional articles from four invented outlets — or import your own files below.</p>
          <button className="primary" disabled={demoBusy} onClick={() => void loadDemo()}>
            {demoBusy ? 'Loading demo corpus…' : 'Load demo corpus'}
          </button>
          <CodebookChoice />
        </section>
      )}
      {demoReport && <ImportResults report={demoReport} />}
      <UploadPanel onImported={refresh} />
      <SourcesFilePanel onImported={refresh} />
      {sources !== null && sources.length > 0 && (
        <>
          <SourcesTable sources={sources} selected={selected} onSelect={setSelected} onChanged={refresh} />
          <DocumentsTable sourceId={selected} refreshKey={refreshKey} />
        </>
      )}
    </div>
  );
}
