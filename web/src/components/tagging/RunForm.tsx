import { useEffect, useState } from 'react';
import { listSources, type Source } from '../../lib/api/corpus.ts';
import { listProfiles, type ProviderProfile } from '../../lib/api/providers.ts';
import { estimateRun, getHealth, startRun, type RunEstimate, type RunRequest, type TaggingRun } from '../../lib/api/tagging.ts';

/** Chooses a selection, provider, model and options; shows the estimate; starts the run. */
export function RunForm({ onStarted }: { onStarted: (run: TaggingRun) => void }) {
  const [sources, setSources] = useState<Source[]>([]);
  /** `local`, `openai` (the environment's server) or `profile:ID`. */
  const [provider, setProvider] = useState<string>('local');
  const [profiles, setProfiles] = useState<ProviderProfile[]>([]);
  const [model, setModel] = useState('');
  const [levels, setLevels] = useState({ passage: true, document: true });
  const [sourceIds, setSourceIds] = useState<number[]>([]);
  const [untaggedOnly, setUntaggedOnly] = useState(false);
  const [sample, setSample] = useState('');
  const [concurrency, setConcurrency] = useState('4');
  const [repeats, setRepeats] = useState('1');
  const [budget, setBudget] = useState('');
  const [maskOutlet, setMaskOutlet] = useState(false);
  const [batch, setBatch] = useState(false);
  const [estimate, setEstimate] = useState<RunEstimate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    getHealth().then((h) => setProvider(h.provider)).catch(() => {});
    // Profiles are an admin's setting: a reviewer is refused the list and simply sees none.
    listProfiles()
      .then((d) => setProfiles(d.profiles))
      .catch(() => {});
    listSources().then(setSources).catch((e: Error) => setError(e.message));
  }, []);

  const profileId = provider.startsWith('profile:') ? Number(provider.slice('profile:'.length)) : undefined;
  const profile = profiles.find((p) => p.id === profileId);
  const request = (): RunRequest => ({
    provider: profileId === undefined ? (provider as 'openai' | 'local') : undefined,
    profileId,
    model: provider !== 'local' && model.trim() ? model.trim() : undefined,
    levels: (['passage', 'document'] as const).filter((l) => levels[l]),
    selection: { sourceIds: sourceIds.length ? sourceIds : undefined, untaggedOnly: untaggedOnly || undefined, sample: sample ? Number(sample) : undefined },
    concurrency: Number(concurrency),
    repeats: Number(repeats),
    budgetUsd: budget ? Number(budget) : undefined,
    maskOutlet,
    batch: provider === 'openai' && batch,
  });

  // Any change makes the shown estimate stale.
  useEffect(() => setEstimate(null), [provider, model, levels, sourceIds, untaggedOnly, sample, repeats, maskOutlet, batch]);

  async function act(what: 'estimate' | 'start') {
    setBusy(true);
    setError(null);
    try {
      if (what === 'estimate') setEstimate(await estimateRun(request()));
      else onStarted(await startRun(request()));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const toggleSource = (id: number) => setSourceIds((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));
  return (
    <section className="panel tagging-form" aria-label="New tagging run">
      <h2>New tagging run</h2>
      <div className="row">
        <label>
          Provider{' '}
          <select value={provider} onChange={(e) => setProvider(e.target.value)} aria-label="Provider">
            <option value="local">local baseline (statistical classifier, no LLM)</option>
            <option value="openai">OpenAI-compatible model (environment)</option>
            {profiles.map((p) => (
              <option key={p.id} value={`profile:${p.id}`}>
                profile: {p.name} ({p.defaultModel})
              </option>
            ))}
          </select>
        </label>
        {provider !== 'local' && (
          <label>
            Model <input value={model} onChange={(e) => setModel(e.target.value)} placeholder={profile ? profile.defaultModel : 'server default'} aria-label="Model" />
          </label>
        )}
        {provider === 'openai' && (
          <label title="Submitted through the provider's Batch API: half the price, answered within 24 hours; the run resumes by itself from its stored batches">
            <input type="checkbox" checked={batch} onChange={(e) => setBatch(e.target.checked)} /> Batch (half price, within 24 h)
          </label>
        )}
        <label>
          <input type="checkbox" checked={levels.passage} onChange={(e) => setLevels({ ...levels, passage: e.target.checked })} /> passages
        </label>
        <label>
          <input type="checkbox" checked={levels.document} onChange={(e) => setLevels({ ...levels, document: e.target.checked })} /> documents
        </label>
      </div>
      <fieldset className="tagging-sources">
        <legend>Sources (none ticked: all)</legend>
        {sources.map((s) => (
          <label key={s.id}>
            <input type="checkbox" checked={sourceIds.includes(s.id)} onChange={() => toggleSource(s.id)} /> {s.name}
          </label>
        ))}
        {sources.length === 0 && <span className="muted">No sources yet: import documents on the Corpus page.</span>}
      </fieldset>
      <div className="row">
        <label>
          <input type="checkbox" checked={untaggedOnly} onChange={(e) => setUntaggedOnly(e.target.checked)} /> untagged only
        </label>
        <label>
          Sample <input type="number" min={1} value={sample} onChange={(e) => setSample(e.target.value)} placeholder="all" className="tagging-num" aria-label="Sample size" />
        </label>
        <label>
          Concurrency <input type="number" min={1} max={256} value={concurrency} onChange={(e) => setConcurrency(e.target.value)} className="tagging-num" aria-label="Concurrency" />
        </label>
        <label>
          Repeats <input type="number" min={1} max={10} value={repeats} onChange={(e) => setRepeats(e.target.value)} className="tagging-num" aria-label="Repeats" />
        </label>
        <label>
          Budget $ <input type="number" min={0} step="0.01" value={budget} onChange={(e) => setBudget(e.target.value)} placeholder="none" className="tagging-num" aria-label="Budget in US dollars" />
        </label>
        <label>
          <input type="checkbox" checked={maskOutlet} onChange={(e) => setMaskOutlet(e.target.checked)} /> mask outlet names in prompts
        </label>
      </div>
      <div className="row">
        <button onClick={() => act('estimate')} disabled={busy}>
          Estimate
        </button>
        <button className="primary" onClick={() => act('start')} disabled={busy}>
          Start run
        </button>
        {error && <span className="error" role="alert">{error}</span>}
      </div>
      {estimate && (
        <p className="tagging-estimate" aria-label="Estimate">
          {estimate.items} items ({estimate.passages} passages, {estimate.documents} documents), {estimate.cached} already answered, {estimate.requests} requests to{' '}
          <strong>{estimate.displayName}</strong>; estimated cost{' '}
          {estimate.estimatedCostUsd === null ? 'unknown (no price for this model)' : `$${estimate.estimatedCostUsd.toFixed(4)}${batch && provider === 'openai' ? ' at the batch price' : ''}`}
        </p>
      )}
    </section>
  );
}
