import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ComparisonForm } from '../components/tagging/ComparisonForm.tsx';
import { RunForm } from '../components/tagging/RunForm.tsx';
import { RunProgressPanel } from '../components/tagging/RunProgressPanel.tsx';
import { ModelQualityNote } from '../components/tagging/ModelQualityNote.tsx';
import { RunsTable } from '../components/tagging/RunsTable.tsx';
import { listRuns, type TaggingRun } from '../lib/api/tagging.ts';

/** Tagging page: start a run (with its estimate), watch it live, cancel or resume it, and see every run. */
export function TaggingPage() {
  const [runs, setRuns] = useState<TaggingRun[]>([]);
  const [params] = useSearchParams();
  // The Jobs page links a tagging job to its run here.
  const [selected, setSelected] = useState<number | null>(params.get('run') ? Number(params.get('run')) : null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(() => {
    listRuns()
      .then((r) => (setRuns(r), setError(null)))
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(refresh, [refresh]);

  return (
    <div className="tagging-page">
      <h1>Tagging</h1>
      <p className="muted">
        A provider proposes a label, stance, themes and evidence for each passage and document; people decide on the Review page. Suggestions never count as reviewed.
      </p>
      <section className="panel">
        <h2>How good the models have been here</h2>
        <p className="muted">Each model's suggestions against the independent human decisions made after them (bulk accepts never count).</p>
        <ModelQualityNote />
      </section>
      <RunForm
        onStarted={(run) => {
          setSelected(run.id);
          refresh();
        }}
      />
      <ComparisonForm onStarted={refresh} />
      {selected !== null && <RunProgressPanel key={selected} runId={selected} onChanged={refresh} />}
      <section className="panel">
        <h2>Runs</h2>
        {error && <p className="error">{error}</p>}
        <RunsTable runs={runs} selected={selected} onSelect={setSelected} />
      </section>
    </div>
  );
}
