import type { ItemView, ReviewSetup } from '../../lib/api/review.ts';
import { ModelQualityNote } from '../tagging/ModelQualityNote.tsx';

/**
 * The model's suggestions beside the decision (hidden in blind mode until the coder decides),
 * with the measured quality of the models behind them and suggestions close to a guess marked,
 * and the reviews this person may see (others' hidden until they have decided).
 */
export function SuggestionsPanel({ view, codebook }: { view: ItemView; codebook: ReviewSetup['codebook'] }) {
  const labelName = (lid: string | null) => codebook.labels.find((l) => l.id === lid)?.name ?? lid ?? '—';
  const families = [...new Map(view.suggestions.map((s) => [`${s.provider}/${s.model}`, { provider: s.provider, model: s.model }])).values()];
  return (
    <div className="panel review-suggestions">
      <h3>
        Suggestions{' '}
        {view.suggestionAgreement.total > 1 && (
          <span className="muted" data-testid="suggestion-agreement">
            — {Math.round((view.suggestionAgreement.topShare ?? 0) * 100)}% of {view.suggestionAgreement.total} say {labelName(view.suggestionAgreement.topLabel)}
          </span>
        )}
      </h3>
      {view.blind ? (
        <p className="muted" data-testid="blind-notice">
          Blind mode: the model's suggestion is hidden until you have decided.
        </p>
      ) : view.suggestions.length === 0 ? (
        <p className="muted">No suggestion yet.</p>
      ) : (
        <ModelQualityNote only={families} />
      )}
      <div className="review-suggestion-grid">
        {view.suggestions.map((sg, n) => (
          <div key={sg.id} className={`review-suggestion${n === 0 ? ' latest' : ''}`} data-testid="review-suggestion">
            <div>
              <strong>{labelName(sg.label)}</strong> · stance {sg.stance} · {sg.confidence === null ? 'no confidence' : `${Math.round(sg.confidence * 100)}%`}
              {sg.nearGuess && (
                <span className="badge near-guess" title="The confidence is close to an even guess over the codebook's labels">
                  close to a guess
                </span>
              )}
              {!sg.substantive && <span className="badge">proposes exclusion</span>}
            </div>
            <div className="muted">
              {sg.provider} / {sg.model} · prompt {sg.promptVersion} · codebook {sg.codebookVersion}
              {n === 0 ? ' · latest' : ''}
            </div>
            {sg.themes.length > 0 && <div>Themes: {sg.themes.map((t) => codebook.themes.find((x) => x.id === t)?.name ?? t).join(', ')}</div>}
            {sg.rationale && <p className="review-rationale">{sg.rationale}</p>}
            {sg.evidence.length > 0 && (
              <ul className="review-evidence">
                {sg.evidence.map((q, k) => (
                  <li key={k} className={q.verified ? 'verified' : 'unverified'}>
                    {q.verified ? '✓ verified' : '⚠ unverified (not found in the text)'}: “{q.quote}”
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
      {view.othersHidden && <p className="muted" data-testid="others-hidden">Other coders' decisions are hidden until you have decided.</p>}
      {view.reviews.length > 0 && (
        <>
          <h3>Reviews{view.othersHidden ? ' (yours; others are hidden)' : ''}</h3>
          <ul className="review-reviews" data-testid="review-reviews">
            {view.reviews.map((r) => (
              <li key={r.id} className={r.undone ? 'undone' : undefined}>
                <bdi>{r.reviewer}</bdi>: {r.action}
                {r.label ? ` → ${labelName(r.label)}` : ''}
                {r.kind !== 'manual' ? ` (${r.kind})` : ''}
                {r.blind ? ' (blind)' : ''}
                {r.undone ? ' — undone' : ''}
                {r.note ? ` — “${r.note}”` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
