import { REVIEW_KEYS } from './keys.ts';

/** The `?` overlay listing every review shortcut. */
export function HelpOverlay({ onClose }: { onClose: () => void }) {
  return (
    <div className="review-overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="panel review-dialog" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table className="grid">
          <tbody>
            {REVIEW_KEYS.map((k) => (
              <tr key={k.keys}>
                <td>
                  <kbd>{k.keys}</kbd>
                </td>
                <td>{k.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Press Esc or ? to close.</p>
      </div>
    </div>
  );
}
