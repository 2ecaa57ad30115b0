import { providerLabel, type TaggingRun } from '../../lib/api/tagging.ts';

/** Every run, newest first; a click shows its progress. */
export function RunsTable({ runs, selected, onSelect }: { runs: TaggingRun[]; selected: number | null; onSelect: (id: number) => void }) {
  if (runs.length === 0) return <p className="muted">No tagging runs yet.</p>;
  return (
    <table className="grid tagging-runs" aria-label="Tagging runs">
      <thead>
        <tr>
          <th>Run</th>
          <th>Status</th>
          <th>Proposed by</th>
          <th>Items</th>
          <th>Suggested</th>
          <th>Cached</th>
          <th>Failed</th>
          <th>Cost</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} className={r.id === selected ? 'selected' : undefined}>
            <td>
              <button className="dash-link" onClick={() => onSelect(r.id)}>
                #{r.id}
              </button>
            </td>
            <td>
              <span className={`badge run-${r.status}`}>{r.status}</span>
            </td>
            <td>{providerLabel(r.provider, r.model)}</td>
            <td>{r.itemsTotal}</td>
            <td>{r.itemsDone}</td>
            <td>{r.itemsCached}</td>
            <td>{r.itemsFailed}</td>
            <td>${r.costUsd.toFixed(4)}</td>
            <td>{new Date(r.createdAt).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
