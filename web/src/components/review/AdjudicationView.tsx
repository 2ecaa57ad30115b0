import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { reviewApi, type AdjudicationCase } from '../../lib/api/review.ts';
import { UserText } from '../UserText.tsx';

/** Disagreements waiting for an admin; each opens the item view, where `c` settles the label. */
export function AdjudicationView() {
  const [kind, setKind] = useState<'' | 'reviewers' | 'model'>('');
  const [cases, setCases] = useState<AdjudicationCase[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    reviewApi.adjudication(kind || undefined).then((r) => setCases(r.cases), (err: Error) => setError(err.message));
  }, [kind]);
  return (
    <div className="panel">
      <h2>Adjudication</h2>
      <p className="muted">Items with the independent decisions they need and a disagreement. Open one to see every decision and the model's suggestion, pick the settled label with a number key and press c: the next disagreement opens. The individual reviews stay in the history.</p>
      <label>
        Show{' '}
        <select aria-label="Disagreement kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
          <option value="">all disagreements</option>
          <option value="reviewers">between reviewers</option>
          <option value="model">reviewer vs model</option>
        </select>
      </label>
      {error && <p className="error">{error}</p>}
      {cases && cases.length === 0 && <p className="muted">Nothing to settle.</p>}
      {cases && cases.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>Item</th>
              <th>Kind</th>
              <th>Text</th>
              <th>Model</th>
              <th>Decisions</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.itemId}>
                <td>
                  <Link to={`/review/items/${c.itemId}?disagreement=any&order=disputed&level=${c.level}&mode=adjudicate`}>{c.itemId}</Link>
                </td>
                <td>{c.kind === 'reviewers' ? 'reviewers disagree' : 'reviewer vs model'}</td>
                <td className="review-snippet">
                  <UserText text={c.sourceName} /> · <UserText text={c.documentTitle} />: <bdi>{c.snippet}</bdi>
                </td>
                <td>{c.suggestedLabel ?? '—'}</td>
                <td>
                  {c.decisions.map((d, n) => (
                    <span key={n}>
                      {n > 0 && '; '}
                      <bdi>{d.reviewer}</bdi>: {d.label ?? 'open'}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
