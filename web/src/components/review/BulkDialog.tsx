import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { reviewApi, type BulkPreview } from '../../lib/api/review.ts';
import { useReviewSession, type QueueContext } from './session.tsx';

/**
 * The bulk-accept block the queue and the item view share: `open()` shows the dialog; once it
 * has accepted, a notice says how many, the queue reloads and the queue list is shown.
 */
export function useBulkAccept(ctx: QueueContext): { open: () => void; isOpen: boolean; element: ReactNode } {
  const s = useReviewSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [isOpen, setOpen] = useState(false);
  const element = isOpen ? (
    <BulkDialog
      ctx={ctx}
      onClose={() => setOpen(false)}
      onDone={(n) => {
        setOpen(false);
        s.setNotice({ kind: 'info', text: `Bulk accepted ${n} ${n === 1 ? 'item' : 'items'}.` });
        s.reloadQueue(ctx);
        if (location.pathname !== '/review') navigate(`/review${ctx.search}`);
      }}
    />
  ) : null;
  return { open: () => setOpen(true), isOpen, element };
}

/**
 * Bulk accept: choose a confidence threshold, see how many and which suggestions would be
 * accepted in the current filter, then confirm. Keyboard: type the threshold, Enter previews,
 * Enter again accepts, Esc cancels.
 */
export function BulkDialog({ ctx, onClose, onDone }: { ctx: QueueContext; onClose: () => void; onDone: (accepted: number) => void }) {
  const [threshold, setThreshold] = useState('0.9');
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    if (preview) confirm.current?.focus();
  }, [preview]);

  const runPreview = async () => {
    const t = Number(threshold);
    if (!(t >= 0 && t <= 1)) return setError('The threshold is a confidence between 0 and 1.');
    setBusy(true);
    setError(null);
    try {
      setPreview(await reviewApi.bulkPreview(ctx.filter, t));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const accept = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const res = await reviewApi.bulkAccept(ctx.filter, preview.threshold, preview.count, ctx.order);
      onDone(res.accepted);
    } catch (err) {
      setError((err as Error).message);
      setPreview(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      className="review-overlay"
      role="dialog"
      aria-modal="true"
      aria-label="Bulk accept"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="panel review-dialog">
        <h2>Bulk accept</h2>
        <p className="muted">Accepts the model's suggestion on every unreviewed item in this queue at or above the confidence threshold, as bulk reviews by you.</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void runPreview();
          }}
        >
          <label>
            Confidence at least{' '}
            <input ref={input} aria-label="Confidence threshold" value={threshold} onChange={(e) => (setThreshold(e.target.value), setPreview(null))} size={5} inputMode="decimal" />
          </label>{' '}
          <button type="submit" disabled={busy}>
            Preview
          </button>
        </form>
        {error && <p className="error">{error}</p>}
        {preview && (
          <div className="review-bulk-preview">
            <p data-testid="bulk-count">
              <strong>{preview.count}</strong> {preview.count === 1 ? 'item' : 'items'} would be accepted
              {preview.count > preview.items.length ? ` (first ${preview.items.length} listed)` : ''}:
            </p>
            <ul>
              {preview.items.map((i) => (
                <li key={i.itemId}>
                  <span className="badge">{i.label}</span> {(i.confidence * 100).toFixed(0)}% — {i.snippet}
                </li>
              ))}
            </ul>
            {preview.count > preview.limit && (
              <p className="warning">At most {preview.limit} items can be accepted at once: raise the threshold or narrow the filter.</p>
            )}
            <button ref={confirm} className="primary" disabled={busy || preview.count === 0 || preview.count > preview.limit} onClick={() => void accept()}>
              Accept {preview.count}
            </button>{' '}
            <button onClick={onClose}>Cancel</button>
          </div>
        )}
      </div>
    </div>
  );
}
