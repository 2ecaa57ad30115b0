import { useEffect, useRef, type RefObject } from 'react';
import type { ItemView, ReviewSetup, SuggestionView } from '../../lib/api/review.ts';
import type { DecisionDraft } from './useDecisionDraft.ts';

interface Props {
  view: ItemView;
  codebook: ReviewSetup['codebook'];
  draft: DecisionDraft;
  suggestion: SuggestionView | null;
  adjudicating: boolean;
  themeMode: boolean;
  themeCursor: number;
  excluding: boolean;
  noteRef: RefObject<HTMLInputElement | null>;
  onAccept: () => void;
  onReject: () => void;
  onSkip: () => void;
  onExclude: () => void;
  onConfirmExclude: (reason: string) => void;
  onCancelExclude: () => void;
  onUndo: () => void;
  onAdjudicate: () => void;
  onSaveNote: () => void;
}

/** What the main button does with the panel as it stands. */
function acceptCaption(draft: DecisionDraft, suggestion: SuggestionView | null): string {
  if (draft.start === 'mine' && !draft.changed) return 'Keep my decision';
  if (suggestion && draft.matchesSuggestion) return 'Accept';
  return suggestion ? 'Edit & accept' : 'Save label';
}

/**
 * The decision: label buttons, the action row right under them (so it stays above the fold on a
 * laptop), stance, themes and note. It shows the coder's own standing decision when there is
 * one, and says when a half-finished edit was restored.
 */
export function DecisionPanel(p: Props) {
  const { view, codebook, draft, suggestion } = p;
  const reasonRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (p.excluding) reasonRef.current?.focus();
  }, [p.excluding]);
  const mine = view.mine;
  const labelName = (lid: string | null) => codebook.labels.find((l) => l.id === lid)?.name ?? lid ?? 'open';
  return (
    <div className="panel review-decision">
      <h3>Your decision</h3>
      {mine && (
        <p className="review-mine" data-testid="review-mine">
          You decided: {mine.action === 'reject' && mine.label === null ? 'rejected, answer left open' : `${labelName(mine.label)}, stance ${mine.stance ?? '—'}`} ({mine.createdAt.slice(0, 10)}).
        </p>
      )}
      {draft.restored && <p className="muted" data-testid="draft-restored">Your unfinished edit of this item was restored.</p>}
      <div className="review-labels" role="radiogroup" aria-label="Label">
        {codebook.labels.map((l, n) => (
          <button key={l.id} role="radio" aria-checked={draft.label === l.id} className={draft.label === l.id ? 'primary' : undefined} onClick={() => draft.setLabel(l.id)} title={l.definition}>
            <kbd>{n + 1}</kbd> {l.name}
          </button>
        ))}
      </div>
      <div className="row review-actions">
        <button className="primary" onClick={p.onAccept} data-testid="review-accept">
          <kbd>a</kbd> {acceptCaption(draft, suggestion)}
        </button>
        <button onClick={p.onReject}>
          <kbd>r</kbd> Reject
        </button>
        <button onClick={p.onSkip}>
          <kbd>s</kbd> Skip
        </button>
        <button onClick={p.onExclude} disabled={view.item.level !== 'passage'}>
          <kbd>x</kbd> {view.item.excluded ? 'Include again' : 'Exclude…'}
        </button>
        <button onClick={p.onUndo}>
          <kbd>u</kbd> Undo
        </button>
        {p.adjudicating && (
          <button onClick={p.onAdjudicate} disabled={!view.adjudication.ready}>
            <kbd>c</kbd> Adjudicate
          </button>
        )}
        <span className="muted">
          <kbd>?</kbd> all keys
        </span>
      </div>
      {p.excluding && (
        <label className="review-note" data-testid="exclude-reason">
          Why exclude it?{' '}
          <input
            ref={reasonRef}
            aria-label="Reason for excluding"
            placeholder="boilerplate, caption, navigation, donation appeal … (Enter excludes, Esc cancels)"
            onKeyDown={(e) => {
              if (e.key === 'Enter') (e.preventDefault(), p.onConfirmExclude(e.currentTarget.value));
              if (e.key === 'Escape') (e.preventDefault(), p.onCancelExclude());
            }}
          />
        </label>
      )}
      <p>
        Stance ({codebook.stance.target}): <kbd>[</kbd> <strong data-testid="review-stance">{draft.stance ?? '—'}</strong> <kbd>]</kbd>{' '}
        <span className="muted">{draft.stance !== null ? (codebook.stance.labels[String(draft.stance)] ?? '') : ''}</span>
      </p>
      <div className={`review-themes${p.themeMode ? ' active' : ''}`} aria-label="Themes">
        <span className="muted">
          Themes <kbd>t</kbd>
          {p.themeMode ? ' — ↑ ↓ move, Space toggles, t leaves' : ''}
        </span>
        <ul>
          {codebook.themes.map((t, n) => (
            <li key={t.id} className={p.themeMode && n === p.themeCursor ? 'cursor' : undefined}>
              <label>
                <input type="checkbox" checked={draft.themes.includes(t.id)} onChange={() => draft.toggleTheme(t.id)} tabIndex={-1} /> {t.name}
              </label>
            </li>
          ))}
        </ul>
      </div>
      <label className="review-note">
        Note <kbd>n</kbd>{' '}
        <input
          ref={p.noteRef}
          value={draft.note}
          onChange={(e) => draft.setNote(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.preventDefault(), p.onSaveNote(), p.noteRef.current?.blur());
            if (e.key === 'Escape') p.noteRef.current?.blur();
          }}
          placeholder="kept with your next decision, or Enter to save now"
        />
      </label>
    </div>
  );
}
