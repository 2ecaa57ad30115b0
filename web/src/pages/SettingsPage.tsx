import { useCallback, useEffect, useState } from 'react';
import { ProfileForm } from '../components/settings/ProfileForm.tsx';
import { createProfile, deleteProfile, listProfiles, testProfile, updateProfile, type ConnectionTest, type ProfileList, type ProviderProfile } from '../lib/api/providers.ts';

/** A connection test in one line: models, structured output, latency, or why it failed. */
function testText(t: ConnectionTest): string {
  if (!t.ok) return `failed: ${t.error ?? 'no answer'}`;
  const models = t.models === null ? 'models not listed' : `${t.models.length} model${t.models.length === 1 ? '' : 's'} listed (${t.models.slice(0, 5).join(', ')}${t.models.length > 5 ? ', …' : ''})`;
  const output = t.structuredOutput === 'json_schema' ? 'structured output (JSON schema) works' : 'no JSON-schema output: JSON mode works and is used';
  return `ok: ${models}; ${output}; probe answered "${t.probeLabel}" in ${t.latencyMs} ms with ${t.model}`;
}

/** Settings (admin): provider profiles — add, edit, test the connection, delete. Runs pick one on the Tagging page. */
export function SettingsPage() {
  const [data, setData] = useState<ProfileList | null>(null);
  const [editing, setEditing] = useState<ProviderProfile | 'new' | null>(null);
  const [testing, setTesting] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(() => {
    listProfiles()
      .then((d) => (setData(d), setError(null)))
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(refresh, [refresh]);

  async function act(what: () => Promise<unknown>) {
    setError(null);
    try {
      await what();
    } catch (e) {
      setError((e as Error).message);
    }
    refresh();
  }

  if (!data) return <div>{error ? <p className="error">{error}</p> : <p className="muted">Loading settings…</p>}</div>;
  return (
    <div className="settings-page">
      <h1>Settings</h1>
      <section className="panel">
        <h2>Model providers</h2>
        <p className="muted">
          {data.environment.configured
            ? `The environment configures the default provider (${data.environment.baseUrl}${data.environment.model ? `, model ${data.environment.model}` : ''}); it stays the default. A run can pick a profile instead.`
            : 'No provider is configured in the environment: runs default to the local baseline, or pick a profile below on the Tagging page.'}
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <table className="profiles">
          <thead>
            <tr>
              <th>Name</th>
              <th>Server</th>
              <th>Model</th>
              <th>Key</th>
              <th>Connection</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.profiles.map((p) => (
              <tr key={p.id} data-profile={p.name}>
                <td>{p.name}</td>
                <td>
                  {data.presets.find((x) => x.id === p.preset)?.title} · {p.baseUrl}
                </td>
                <td>{p.defaultModel}</td>
                <td>{p.key.set ? `…${p.key.last4 ?? '****'}` : 'none'}</td>
                <td data-testid="connection">{testing === p.id ? 'testing…' : p.lastTest ? testText(p.lastTest) : 'not tested'}</td>
                <td>
                  <button onClick={() => (setTesting(p.id), act(() => testProfile(p.id)).finally(() => setTesting(null)))} disabled={testing !== null}>
                    Test connection
                  </button>{' '}
                  <button onClick={() => setEditing(p)}>Edit</button>{' '}
                  <button onClick={() => window.confirm(`Delete the profile ${p.name} and its key?`) && act(() => deleteProfile(p.id))}>Delete</button>
                </td>
              </tr>
            ))}
            {data.profiles.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  No profiles yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {editing === null && (
          <p>
            <button onClick={() => setEditing('new')}>Add profile</button>
          </p>
        )}
      </section>
      {editing !== null && (
        <ProfileForm
          key={editing === 'new' ? 'new' : editing.id}
          presets={data.presets}
          profile={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSave={async (input) => {
            if (editing === 'new') await createProfile(input);
            else await updateProfile(editing.id, input);
            setEditing(null);
            refresh();
          }}
        />
      )}
    </div>
  );
}
