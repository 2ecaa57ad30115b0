import { useEffect, useState } from 'react';
import { reviewApi, type Actor, type ReviewProtocol, type User } from '../../lib/api/review.ts';

/** People and the review protocol: admins create reviewers and set overlap and blind mode. */
export function PeopleView({ actor }: { actor: Actor }) {
  const [users, setUsers] = useState<User[]>([]);
  const [protocol, setProtocol] = useState<ReviewProtocol | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<'reviewer' | 'admin'>('reviewer');
  const [password, setPassword] = useState('');
  const admin = actor.role === 'admin';
  const refresh = () => {
    reviewApi.users().then((r) => setUsers(r.users), (err: Error) => setMessage({ text: err.message, error: true }));
    reviewApi.settings().then(setProtocol, (err: Error) => setMessage({ text: err.message, error: true }));
  };
  useEffect(refresh, []);
  const fail = (err: Error) => setMessage({ text: err.message, error: true });

  return (
    <div>
      <div className="panel">
        <h2>Review protocol</h2>
        {protocol && (
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              reviewApi.saveSettings(protocol).then((p) => (setProtocol(p), setMessage({ text: 'Protocol saved.', error: false })), fail);
            }}
          >
            <label>
              Independent reviews per item{' '}
              <input type="number" min={1} max={10} disabled={!admin} value={protocol.overlap} onChange={(e) => setProtocol({ ...protocol, overlap: Number(e.target.value) })} />
            </label>
            <label>
              for this share of items (0-1){' '}
              <input type="number" min={0.01} max={1} step={0.01} disabled={!admin} value={protocol.overlapShare} onChange={(e) => setProtocol({ ...protocol, overlapShare: Number(e.target.value) })} />
            </label>
            <label>
              <input type="checkbox" disabled={!admin} checked={protocol.blind} onChange={(e) => setProtocol({ ...protocol, blind: e.target.checked })} /> Blind mode (reviewers see no model suggestion)
            </label>
            {admin && <button type="submit">Save</button>}
          </form>
        )}
        <p className="muted" data-testid="protocol-help">
          With more than one independent review per item, a random sample of items (the share: 0.2 means one item in five, chosen once per item and kept) is coded by that many
          people, each blind to the others' decisions until they have decided; those items measure agreement between people, and their disagreements go to
          adjudication. The other items need one review. Blind mode hides the model's suggestion from every coder, admins included, until they have decided.
        </p>
      </div>
      <div className="panel">
        <h2>People</h2>
        <table className="grid">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Can log in</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.role}</td>
                <td>{u.hasPassword ? 'yes' : 'loopback only'}</td>
                <td>{u.createdAt.slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {admin && (
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              reviewApi
                .createUser({ name, role, ...(password ? { password } : {}) })
                .then(() => (setName(''), setPassword(''), setMessage({ text: `Created ${name}.`, error: false }), refresh()), fail);
            }}
          >
            <input aria-label="New reviewer name" placeholder="name" value={name} onChange={(e) => setName(e.target.value)} />
            <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
              <option value="reviewer">reviewer</option>
              <option value="admin">admin</option>
            </select>
            <input aria-label="Password" type="password" placeholder="password (12+ characters, to log in)" value={password} onChange={(e) => setPassword(e.target.value)} />
            <button type="submit" disabled={!name.trim()}>
              Create
            </button>
          </form>
        )}
      </div>
      {message && <p className={message.error ? 'error' : 'muted'}>{message.text}</p>}
    </div>
  );
}
