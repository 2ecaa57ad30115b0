import { useEffect, useState } from 'react';
import { reviewApi, type HistoryEntry } from '../../lib/api/review.ts';

/** An item's audit history: who did what when, the state before and after, what they saw. */
export function ItemHistory({ itemId }: { itemId: number }) {
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  useEffect(() => {
    reviewApi.history(itemId).then((h) => setHistory(h.entries), () => setHistory([]));
  }, [itemId]);
  return (
    <div className="panel" data-testid="review-history">
      <h3>History</h3>
      {history === null ? (
        <p className="muted">Loading…</p>
      ) : history.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Change</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id}>
                <td>{h.at.replace('T', ' ').slice(0, 19)}</td>
                <td>
                  <bdi>{h.actor}</bdi>
                </td>
                <td>{h.action}</td>
                <td>{describeChange(h)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function describeChange(h: HistoryEntry): string {
  const before = h.before as { reviewStatus?: string | null; reviewedLabel?: string | null; excluded?: boolean } | null;
  const after = h.after as typeof before;
  const details = h.details as { note?: string | null; shown?: { suggestion?: { label: string } | null; blind?: boolean } } | null;
  const parts: string[] = [];
  if (before && after) {
    const fmt = (x: NonNullable<typeof before>) => `${x.reviewStatus ?? '?'}${x.reviewedLabel ? ` ${x.reviewedLabel}` : ''}${x.excluded ? ', excluded' : ''}`;
    parts.push(`${fmt(before)} → ${fmt(after)}`);
  }
  if (details?.shown) parts.push(details.shown.blind ? 'saw: blind' : `saw: ${details.shown.suggestion?.label ?? 'no suggestion'}`);
  if (details?.note) parts.push(`note: ${details.note}`);
  return parts.join('; ');
}
