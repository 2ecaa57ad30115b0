import { useState } from 'react';
import type { Preset, ProfileInput, ProviderProfile } from '../../lib/api/providers.ts';

/** What the form edits; numbers and the key as typed. */
interface Draft {
  name: string;
  preset: Preset['id'];
  baseUrl: string;
  defaultModel: string;
  azureApiVersion: string;
  inputPerMTok: string;
  outputPerMTok: string;
  concurrency: string;
  apiKey: string;
}

const draftOf = (p: ProviderProfile | null, preset: Preset): Draft => ({
  name: p?.name ?? '',
  preset: p?.preset ?? preset.id,
  baseUrl: p?.baseUrl ?? preset.baseUrl,
  defaultModel: p?.defaultModel ?? preset.defaultModel,
  azureApiVersion: p?.azureApiVersion ?? (preset.azure ? '2024-10-21' : ''),
  inputPerMTok: p?.inputPerMTok?.toString() ?? '',
  outputPerMTok: p?.outputPerMTok?.toString() ?? '',
  concurrency: String(p?.concurrency ?? 4),
  apiKey: '',
});

/** The fields as the API takes them: an empty key field keeps the stored key (a new profile: none). */
function inputOf(d: Draft, presets: readonly Preset[]): ProfileInput {
  const preset = presets.find((p) => p.id === d.preset)!;
  return {
    name: d.name,
    preset: d.preset,
    baseUrl: d.baseUrl,
    defaultModel: d.defaultModel,
    azureApiVersion: preset.azure ? d.azureApiVersion : null,
    inputPerMTok: d.inputPerMTok === '' ? null : Number(d.inputPerMTok),
    outputPerMTok: d.outputPerMTok === '' ? null : Number(d.outputPerMTok),
    concurrency: Number(d.concurrency),
    apiKey: d.apiKey === '' ? undefined : d.apiKey,
  };
}

/** Adds or edits a provider profile; a preset fills in its server's usual address and model. */
export function ProfileForm({ presets, profile, onSave, onCancel }: { presets: readonly Preset[]; profile: ProviderProfile | null; onSave: (input: ProfileInput) => Promise<void>; onCancel: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(profile, presets[0]!));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const preset = presets.find((p) => p.id === draft.preset)!;
  const set = (field: keyof Draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [field]: e.target.value });
  const choosePreset = (id: Preset['id']) => {
    const next = presets.find((p) => p.id === id)!;
    setDraft({ ...draft, preset: id, baseUrl: next.baseUrl, defaultModel: next.defaultModel, azureApiVersion: next.azure ? draft.azureApiVersion || '2024-10-21' : '' });
  };

  async function save() {
    setBusy(true);
    setError(null);
    try {
      await onSave(inputOf(draft, presets));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-label={profile ? `Edit profile ${profile.name}` : 'New provider profile'}>
      <h2>{profile ? `Edit ${profile.name}` : 'New provider profile'}</h2>
      <div className="row">
        <label>
          Preset{' '}
          <select aria-label="Preset" value={draft.preset} onChange={(e) => choosePreset(e.target.value as Preset['id'])}>
            {presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name <input aria-label="Profile name" value={draft.name} onChange={set('name')} placeholder="e.g. lab ollama" />
        </label>
      </div>
      <p className="muted">{preset.hint}</p>
      <div className="row">
        <label>
          {preset.azure ? 'Endpoint' : 'Base URL'} <input aria-label="Base URL" value={draft.baseUrl} onChange={set('baseUrl')} size={40} />
        </label>
        <label>
          {preset.azure ? 'Deployment' : 'Default model'} <input aria-label="Default model" value={draft.defaultModel} onChange={set('defaultModel')} />
        </label>
        {preset.azure && (
          <label>
            api-version <input aria-label="api-version" value={draft.azureApiVersion} onChange={set('azureApiVersion')} />
          </label>
        )}
      </div>
      <div className="row">
        <label>
          Key{' '}
          <input
            aria-label="API key"
            type="password"
            autoComplete="off"
            value={draft.apiKey}
            onChange={set('apiKey')}
            placeholder={profile?.key.set ? `stored (…${profile.key.last4 ?? ''}); type to replace` : preset.needsKey ? 'required by this server' : 'none needed'}
          />
        </label>
        <label>
          Concurrency <input aria-label="Profile concurrency" type="number" min={1} max={256} value={draft.concurrency} onChange={set('concurrency')} className="tagging-num" />
        </label>
        <label>
          $ / 1M input tokens <input aria-label="Input price" type="number" min={0} step="0.01" value={draft.inputPerMTok} onChange={set('inputPerMTok')} className="tagging-num" placeholder="list" />
        </label>
        <label>
          $ / 1M output tokens <input aria-label="Output price" type="number" min={0} step="0.01" value={draft.outputPerMTok} onChange={set('outputPerMTok')} className="tagging-num" placeholder="list" />
        </label>
      </div>
      <p className="muted">The key is kept in a file beside the database (readable only by the server's user), never in the database, its backups or exports, and is never shown again.</p>
      <div className="row">
        <button className="primary" onClick={save} disabled={busy}>
          Save profile
        </button>
        <button onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        {error && (
          <span className="error" role="alert">
            {error}
          </span>
        )}
      </div>
    </section>
  );
}
