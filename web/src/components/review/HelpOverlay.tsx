import type { KeyBinding } from './keys.ts';

/** The `?` overlay listing a screen's shortcuts, from the same table its key handler runs. */
export function HelpOverlay({ bindings, onClose }: { bindings: readonly Pick<KeyBinding, 'hint' | 'what'>[]; onClose: () => void }) {
  return (
    <div className="review-overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="panel review-dialog" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table className="grid">
          <tbody>
            {bindings.map((k) => (
              <tr key={k.hint}>
                <td>
                  <kbd>{k.hint}</kbd>
                </td>
                <td>{k.what}</td>
              </tr>
            ))}
            <tr>
              <td>
                <kbd>Esc</kbd>
              </td>
              <td>close an overlay</td>
            </tr>
          </tbody>
        </table>
        <p className="muted">Press Esc or ? to close.</p>
      </div>
    </div>
  );
}
