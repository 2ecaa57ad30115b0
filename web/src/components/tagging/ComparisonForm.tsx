import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { listProfiles, type ProviderProfile } from '../../lib/api/providers.ts';
import { listPrompts, startComparison, type ComparisonRequest, type ModelComparison } from '../../lib/api/tagging.ts';

/** One arm as the form holds it: `local`, `openai` or `profile:ID`; a model; a prompt version ('' = current). */
interface ArmDraft {
  provider: string;
  model: string;
  prompt: string;
}

const MAX_ARMS = 4;

function armRequest(a: ArmDraft): ComparisonRequest['arms'][number] {
  const profileId = a.provider.startsWith('profile:') ? Number(a.provider.slice('profile:'.length)) : undefined;
  return {
    provider: profileId === undefined ? (a.provider as 'openai' | 'local') : undefined,
    profileId,
    model: a.provider !== 'local' && a.model.trim() ? a.model.trim() : undefined,
    promptVersions: a.prompt ? { passage: `passage-${a.prompt}`, document: `document-${a.prompt}` } : undefined,
  };
}

/**
 * Compare models before the full run: two to four arms (profile, model, prompt version) tag the
 * same seeded sample, one run each; the report is on the Evals page.
 */
export function ComparisonForm({ onStarted }: { onStarted: (c: ModelComparison) => void }) {
  const [profiles, setProfiles] = useState<ProviderProfile[]>([]);
  const [versions, setVersions] = useState<string[]>([]);
  const [arms, setArms] = useState<ArmDraft[]>([
    { provider: 'local', model: '', prompt: '' },
    { provider: 'openai', model: '', prompt: '' },
  ]);
  const [name, setName] = useState('');
  const [sampleSize, setSampleSize] = useState('100');
  const [seed, setSeed] = useState('1');
  const [levels, setLevels] = useState<'passage' | 'document' | 'both'>('passage');
  const [started, setStarted] = useState<ModelComparison | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    listProfiles()
      .then((d) => setProfiles(d.profiles))
      .catch(() => {});
    listPrompts()
      .then((ps) => setVersions([...new Set(ps.map((p) => p.version))].sort()))
      .catch(() => {});
  }, []);

  const setArm = (i: number, patch: Partial<ArmDraft>) => setArms((xs) => xs.map((a, j) => (j === i ? { ...a, ...patch } : a)));

  async function start() {
    setBusy(true);
    setError(null);
    try {
      const c = await startComparison({
        name: name.trim() || undefined,
        arms: arms.map(armRequest),
        sampleSize: Number(sampleSize),
        seed: Number(seed),
        levels: levels === 'both' ? ['passage', 'document'] : [levels],
      });
      setStarted(c);
      onStarted(c);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel tagging-form" aria-label="Compare models">
      <h2>Compare models on a sample</h2>
      <p className="muted">
        Each arm tags the same seeded sample (stored, so every arm sees the same items); the Evals page then shows each arm's agreement with the independent human decisions so far, the agreement between arms, cost and latency per 1,000 items, and the items where they differ.
      </p>
      {arms.map((a, i) => (
        <div className="row" key={i} data-arm={i + 1}>
          <strong>Arm {i + 1}</strong>
          <label>
            Answered by{' '}
            <select aria-label={`Arm ${i + 1} answered by`} value={a.provider} onChange={(e) => setArm(i, { provider: e.target.value })}>
              <option value="local">local baseline (statistical classifier, no LLM)</option>
              <option value="openai">OpenAI-compatible model (environment)</option>
              {profiles.map((p) => (
                <option key={p.id} value={`profile:${p.id}`}>
                  profile: {p.name} ({p.defaultModel})
                </option>
              ))}
            </select>
          </label>
          {a.provider !== 'local' && (
            <label>
              Model <input aria-label={`Arm ${i + 1} model`} value={a.model} onChange={(e) => setArm(i, { model: e.target.value })} placeholder="default" />
            </label>
          )}
          <label>
            Prompt{' '}
            <select aria-label={`Arm ${i + 1} prompt`} value={a.prompt} onChange={(e) => setArm(i, { prompt: e.target.value })}>
              <option value="">current</option>
              {versions.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          {arms.length > 2 && (
            <button onClick={() => setArms((xs) => xs.filter((_, j) => j !== i))} aria-label={`Remove arm ${i + 1}`}>
              Remove
            </button>
          )}
        </div>
      ))}
      <div className="row">
        {arms.length < MAX_ARMS && <button onClick={() => setArms((xs) => [...xs, { provider: 'openai', model: '', prompt: '' }])}>Add arm</button>}
        <label>
          Name <input aria-label="Comparison name" value={name} onChange={(e) => setName(e.target.value)} placeholder="comparison of N models" />
        </label>
        <label>
          Sample <input type="number" min={1} max={2000} className="tagging-num" aria-label="Comparison sample size" value={sampleSize} onChange={(e) => setSampleSize(e.target.value)} />
        </label>
        <label>
          Seed <input type="number" min={0} className="tagging-num" aria-label="Comparison seed" value={seed} onChange={(e) => setSeed(e.target.value)} />
        </label>
        <label>
          Items{' '}
          <select aria-label="Comparison levels" value={levels} onChange={(e) => setLevels(e.target.value as typeof levels)}>
            <option value="passage">passages</option>
            <option value="document">whole documents</option>
            <option value="both">both</option>
          </select>
        </label>
        <button className="primary" onClick={start} disabled={busy}>
          Start comparison
        </button>
        {error && (
          <span className="error" role="alert">
            {error}
          </span>
        )}
      </div>
      {started && (
        <p data-testid="comparison-started">
          Comparison #{started.id} on {started.items} items: runs {started.runs.map((r) => `#${r.id}`).join(', ')}. <Link to={`/evals?comparison=${started.id}`}>See it on the Evals page</Link>
        </p>
      )}
    </section>
  );
}
