import { useEffect, useState, type ReactNode } from 'react';
import { reviewApi, type Actor, type Me } from '../../lib/api/review.ts';

/**
 * Makes sure someone is reviewing. On loopback it asks for a reviewer name once (remembered in
 * a cookie); beyond loopback it asks for a login.
 */
export function ReviewerGate({ children }: { children: (actor: Actor, signOut: () => void) => ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    reviewApi.me().then(setMe, (err: Error) => setError(err.message));
  }, []);
  if (error && !me) return <p className="error">{error}</p>;
  if (!me) return <p className="muted">Loading…</p>;
  if (me.actor) {
    const signOut = () => reviewApi.logout().then(setMe, (err: Error) => setError(err.message));
    return <>{children(me.actor, () => void signOut())}</>;
  }
  const submit = async () => {
    setError(null);
    try {
      setMe(me.loginRequired ? await reviewApi.login(name, password) : await reviewApi.chooseName(name));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form
      className="panel review-gate"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{me.loginRequired ? 'Log in to review' : 'Who is reviewing?'}</h2>
      {!me.loginRequired && <p className="muted">Your name is recorded with every decision. You are asked once on this browser.</p>}
      <label>
        {me.loginRequired ? 'Name' : 'Reviewer name'} <input autoFocus aria-label="Reviewer name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>{' '}
      {me.loginRequired && (
        <label>
          Password <input type="password" aria-label="Password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
      )}{' '}
      <button className="primary" type="submit" disabled={!name.trim()}>
        {me.loginRequired ? 'Log in' : 'Start reviewing'}
      </button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}

/**
 * Beyond loopback every page needs a login: shows the login form instead of the page until
 * there is a session. On loopback (or while asking) the page renders as is.
 */
export function LoginGate({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    reviewApi.me().then(setMe, () => undefined);
  }, []);
  if (me && me.loginRequired && !me.actor) {
    return <ReviewerGate>{() => children}</ReviewerGate>;
  }
  return <>{children}</>;
}
