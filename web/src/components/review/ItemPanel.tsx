import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { reviewApi, type Decision, type HistoryEntry, type ItemView } from '../../lib/api/review.ts';
import { BulkDialog } from './BulkDialog.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { HighlightedText } from './ItemText.tsx';
import { typingInField, useWindowKeys } from './keys.ts';
import { queueContext, useReviewSession } from './session.tsx';
import { UserText } from '../UserText.tsx';

const PREFETCH = 3; // items ahead kept loaded, so the next one shows without a round trip

/** The item view route: loads (or takes from the prefetch cache) the item and shows the decision panel. */
export function ItemRoute() {
  const { itemId } = useParams();
  const id = Number(itemId);
  const s = useReviewSession();
  const [params] = useSearchParams();
  const location = useLocation();
  const ctx = useMemo(() => queueContext(params), [params]);
  const [view, setView] = useState<ItemView | undefined>(() => s.cached(id));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => s.ensureQueue(ctx), [s.ensureQueue, ctx]);
  useEffect(() => {
    const have = s.cached(id);
    if (have) return setView(have);
    // Keep showing the current view of this item while a fresh one loads: no flash, no lost keypress.
    let live = true;
    s.load(id).then(
      (v) => live && (setView(v), setError(null)),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
    // Every navigation (location.key) re-reads the cache: an undo back to this same item must show its new state.
  }, [id, location.key, s.cached, s.load]);

  if (!Number.isInteger(id) || id <= 0) return <p className="error">No item {itemId}.</p>;
  if (error) return <p className="error">{error}</p>;
  // A prefetched item renders in the same pass as the navigation, without waiting for an effect.
  const current = view?.item.id === id ? view : s.cached(id);
  if (!current) return <p className="muted">Loading item {id}…</p>;
  return <ItemPanel key={`${id}:${current.item.version}`} view={current} ctx={ctx} />;
}

function ItemPanel({ view, ctx }: { view: ItemView; ctx: ReturnType<typeof queueContext> }) {
  const s = useReviewSession();
  const navigate = useNavigate();
  const { codebook } = s.setup;
  const id = view.item.id;
  const suggestion = view.suggestions[0] ?? null;
  const [label, setLabel] = useState<string | null>(null);
  const [stance, setStance] = useState<number | null>(suggestion?.stance ?? null);
  const [themes, setThemes] = useState<Set<string>>(() => new Set(suggestion?.themes ?? []));
  const [themeMode, setThemeMode] = useState(false);
  const [themeCursor, setThemeCursor] = useState(0);
  const [showDoc, setShowDoc] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [help, setHelp] = useState(false);
  const [bulk, setBulk] = useState(false);
  const [note, setNote] = useState('');
  const noteRef = useRef<HTMLInputElement>(null);
  const shownAt = useRef(performance.now());
  // One key per item shown: pressing the same decision twice (or a retry) is stored once.
  const viewKey = useRef(Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));

  const entries = s.queue.entries;
  const position = entries.findIndex((e) => e.itemId === id);
  const nextId = position >= 0 ? entries[position + 1]?.itemId : entries.find((e) => e.itemId !== id)?.itemId;

  useEffect(() => {
    if (!s.visited.current.includes(id)) s.visited.current.push(id);
    const ahead = position >= 0 ? entries.slice(position + 1, position + 1 + PREFETCH) : entries.slice(0, PREFETCH);
    s.prefetch(ahead.map((e) => e.itemId));
    if (position >= entries.length - 10) s.loadMore();
  }, [id, position, entries, s]);

  useEffect(() => {
    if (showHistory) reviewApi.history(id).then((h) => setHistory(h.entries), () => setHistory([]));
  }, [showHistory, id]);

  const go = (target: number | undefined) => {
    if (target === undefined) {
      s.setNotice({ kind: 'info', text: 'End of this queue.' });
      navigate(`/review${ctx.search}`);
    } else navigate(`/review/items/${target}${ctx.search}`);
  };
  const previous = () => {
    const before = position > 0 ? entries[position - 1]?.itemId : s.visited.current[s.visited.current.indexOf(id) - 1];
    if (before !== undefined) go(before);
  };

  const changed = suggestion !== null && (label ?? suggestion.label) === suggestion.label && stance === suggestion.stance && sameSet(themes, suggestion.themes) ? false : true;
  const base = (): Pick<Decision, 'basedOnVersion' | 'suggestionId' | 'queueOrder' | 'timeSpentMs' | 'note'> => ({
    basedOnVersion: view.item.version,
    suggestionId: suggestion?.id ?? null,
    queueOrder: position >= 0 ? ctx.order : null,
    timeSpentMs: Math.round(performance.now() - shownAt.current),
    note: note.trim() || null,
  });
  const decide = (d: Omit<Decision, 'basedOnVersion'>, advance = true) => {
    const payload = { ...base(), idempotencyKey: `${viewKey.current}:${d.action}:${d.label ?? ''}`, ...d } as Decision;
    if (!advance) return void s.submit(id, payload);
    go(nextId);
    void s.submit(id, payload, { afterPaint: true });
  };

  const accept = () => {
    if (!suggestion || changed) {
      const finalLabel = label ?? suggestion?.label ?? null;
      if (!finalLabel) return s.setNotice({ kind: 'error', text: 'Pick a label first (number keys).' });
      decide({ action: 'edit', label: finalLabel, stance, themes: [...themes] });
    } else decide({ action: 'accept' });
  };
  const reject = () => decide(label ? { action: 'reject', label, stance, themes: [...themes] } : { action: 'reject', label: null });
  const toggleExcluded = () => {
    if (view.item.level !== 'passage') return s.setNotice({ kind: 'error', text: 'Only passages can be excluded.' });
    decide({ action: view.item.excluded ? 'include' : 'exclude' });
  };
  const adjudicate = () => {
    if (s.actor.role !== 'admin') return s.setNotice({ kind: 'error', text: 'Only an admin can adjudicate.' });
    const finalLabel = label ?? view.item.reviewedLabel;
    if (!finalLabel) return s.setNotice({ kind: 'error', text: 'Pick the settled label first (number keys).' });
    decide({ action: 'adjudicate', label: finalLabel, stance, themes: [...themes] });
  };
  const undo = async () => {
    const target = await s.undo();
    if (target !== null) navigate(`/review/items/${target}${ctx.search}`);
  };
  const saveNote = () => {
    const text = note.trim();
    if (!text) return;
    reviewApi.note(id, text).then(
      () => (setNote(''), s.setNotice({ kind: 'info', text: `Note saved on item ${id}.` })),
      (err: Error) => s.setNotice({ kind: 'error', text: err.message }),
    );
  };

  useWindowKeys((e: KeyboardEvent) => {
    if (bulk || e.ctrlKey || e.metaKey || e.altKey) return;
    if (help) {
      if (e.key === 'Escape' || e.key === '?') setHelp(false);
      return;
    }
    if (typingInField(e)) return;
    if (themeMode) {
      const n = codebook.themes.length;
      if (e.key === 'ArrowDown' || e.key === 'j') setThemeCursor((c) => (c + 1) % n);
      else if (e.key === 'ArrowUp' || e.key === 'k') setThemeCursor((c) => (c - 1 + n) % n);
      else if (e.key === ' ') toggleTheme(codebook.themes[themeCursor]!.id);
      else if (e.key === 't' || e.key === 'Escape' || e.key === 'Enter') setThemeMode(false);
      else return;
      e.preventDefault();
      return;
    }
    const digit = /^[0-9]$/.test(e.key) ? Number(e.key) : null;
    if (digit !== null) {
      if (digit === 0) setLabel(null);
      else if (codebook.labels[digit - 1]) setLabel(codebook.labels[digit - 1]!.id);
    } else if (e.key === 'a' || e.key === 'Enter') accept();
    else if (e.key === 'r') reject();
    else if (e.key === 's') decide({ action: 'skip' });
    else if (e.key === 'x') toggleExcluded();
    else if (e.key === 'c') adjudicate();
    else if (e.key === 'u') void undo();
    else if (e.key === 'j' || e.key === 'ArrowRight') go(nextId);
    else if (e.key === 'k' || e.key === 'ArrowLeft') previous();
    else if (e.key === '[') setStance((v) => Math.max(codebook.stance.min, (v ?? 0) - 1));
    else if (e.key === ']') setStance((v) => Math.min(codebook.stance.max, (v ?? 0) + 1));
    else if (e.key === 't') setThemeMode(true);
    else if (e.key === 'n') noteRef.current?.focus();
    else if (e.key === 'd') setShowDoc((v) => !v);
    else if (e.key === 'o') navigate(`/documents/${view.document.id}`);
    else if (e.key === 'h') setShowHistory((v) => !v);
    else if (e.key === 'b') setBulk(true);
    else if (e.key === 'g') navigate(`/review${ctx.search}`);
    else if (e.key === '?') setHelp(true);
    else return;
    e.preventDefault();
  });

  function toggleTheme(theme: string) {
    setThemes((prev) => {
      const next = new Set(prev);
      if (next.has(theme)) next.delete(theme);
      else next.add(theme);
      return next;
    });
  }

  const labelName = (lid: string | null) => codebook.labels.find((l) => l.id === lid)?.name ?? lid ?? '—';
  const chosen = label ?? suggestion?.label ?? null;

  return (
    <div className="review-item" data-item-id={id} data-testid="review-item">
      <div className="panel">
        <div className="row review-meta">
          <strong>
            <UserText text={view.source.name} />
          </strong>
          <span>{view.document.published ?? 'undated'}</span>
          <span>
            <UserText text={view.document.title} />
          </span>
          <span className="muted">
            {view.item.level === 'passage' ? `passage ${view.item.seq + 1}` : 'whole document'} · item {id}
            {position >= 0 ? ` · ${position + 1} of ${s.queue.total} in queue` : ''}
          </span>
          {view.item.excluded && <span className="badge review-excluded">excluded{view.item.excludedReason ? `: ${view.item.excludedReason}` : ''}</span>}
          {view.item.reviewStatus && <span className="badge" data-testid="review-status">{view.item.reviewStatus}{view.item.reviewedLabel ? `: ${labelName(view.item.reviewedLabel)}` : ''}</span>}
          {view.blind && <span className="badge">blind</span>}
          {s.pending > 0 && <span className="muted">saving…</span>}
        </div>
        {showDoc ? (
          <div className="review-document" data-testid="review-document">
            <span>{view.documentText.slice(0, view.textStart)}</span>
            <span className="review-current">
              <HighlightedText text={view.text} evidence={suggestion?.evidence ?? []} />
            </span>
            <span>{view.documentText.slice(view.textStart + view.text.length)}</span>
          </div>
        ) : (
          <div className="review-context">
            {view.previous && <p className={`review-neighbour${view.previous.excluded ? ' review-excluded' : ''}`}>{view.previous.text}</p>}
            <p className="review-text" data-testid="review-text">
              <HighlightedText text={view.text} evidence={suggestion?.evidence ?? []} />
            </p>
            {view.next && <p className={`review-neighbour${view.next.excluded ? ' review-excluded' : ''}`}>{view.next.text}</p>}
          </div>
        )}
      </div>

      <div className="review-columns">
        <div className="panel review-decision">
          <h3>Your decision</h3>
          <div className="review-labels" role="radiogroup" aria-label="Label">
            {codebook.labels.map((l, n) => (
              <button key={l.id} role="radio" aria-checked={chosen === l.id} className={chosen === l.id ? 'primary' : undefined} onClick={() => setLabel(l.id)} title={l.definition}>
                <kbd>{n + 1}</kbd> {l.name}
              </button>
            ))}
          </div>
          <p>
            Stance ({codebook.stance.target}): <kbd>[</kbd> <strong data-testid="review-stance">{stance ?? '—'}</strong> <kbd>]</kbd>{' '}
            <span className="muted">{stance !== null ? (codebook.stance.labels[String(stance)] ?? '') : ''}</span>
          </p>
          <div className={`review-themes${themeMode ? ' active' : ''}`} aria-label="Themes">
            <span className="muted">
              Themes <kbd>t</kbd>
              {themeMode ? ' — ↑ ↓ move, Space toggles, t leaves' : ''}
            </span>
            <ul>
              {codebook.themes.map((t, n) => (
                <li key={t.id} className={themeMode && n === themeCursor ? 'cursor' : undefined}>
                  <label>
                    <input type="checkbox" checked={themes.has(t.id)} onChange={() => toggleTheme(t.id)} tabIndex={-1} /> {t.name}
                  </label>
                </li>
              ))}
            </ul>
          </div>
          <label className="review-note">
            Note <kbd>n</kbd>{' '}
            <input
              ref={noteRef}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') (e.preventDefault(), saveNote(), noteRef.current?.blur());
                if (e.key === 'Escape') noteRef.current?.blur();
              }}
              placeholder="kept with your next decision, or Enter to save now"
            />
          </label>
          <div className="row review-actions">
            <button className="primary" onClick={accept}>
              <kbd>a</kbd> {changed && suggestion ? 'Edit & accept' : suggestion ? 'Accept' : 'Save label'}
            </button>
            <button onClick={reject}>
              <kbd>r</kbd> Reject
            </button>
            <button onClick={() => decide({ action: 'skip' })}>
              <kbd>s</kbd> Skip
            </button>
            <button onClick={toggleExcluded} disabled={view.item.level !== 'passage'}>
              <kbd>x</kbd> {view.item.excluded ? 'Not excluded' : 'Exclude'}
            </button>
            <button onClick={() => void undo()}>
              <kbd>u</kbd> Undo
            </button>
            {s.actor.role === 'admin' && (view.item.reviewStatus === 'disputed' || view.item.reviewStatus === 'reviewed') && (
              <button onClick={adjudicate}>
                <kbd>c</kbd> Adjudicate
              </button>
            )}
            <span className="muted">
              <kbd>?</kbd> all keys
            </span>
          </div>
        </div>

        <div className="panel review-suggestions">
          <h3>
            Suggestions{' '}
            {view.suggestionAgreement.total > 1 && (
              <span className="muted" data-testid="suggestion-agreement">
                — {Math.round((view.suggestionAgreement.topShare ?? 0) * 100)}% of {view.suggestionAgreement.total} say {labelName(view.suggestionAgreement.topLabel)}
              </span>
            )}
          </h3>
          {view.blind ? <p className="muted">Blind mode: the model's suggestion is hidden.</p> : view.suggestions.length === 0 ? <p className="muted">No suggestion yet.</p> : null}
          <div className="review-suggestion-grid">
            {view.suggestions.map((sg, n) => (
              <div key={sg.id} className={`review-suggestion${n === 0 ? ' latest' : ''}`}>
                <div>
                  <strong>{labelName(sg.label)}</strong> · stance {sg.stance} · {sg.confidence === null ? 'no confidence' : `${Math.round(sg.confidence * 100)}%`}
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
          {view.reviews.length > 0 && (
            <>
              <h3>Reviews{view.independent && s.actor.role !== 'admin' ? ' (yours; others are hidden)' : ''}</h3>
              <ul className="review-reviews">
                {view.reviews.map((r) => (
                  <li key={r.id} className={r.undone ? 'undone' : undefined}>
                    {r.reviewer}: {r.action}
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
      </div>

      {showHistory && (
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
                    <td>{h.actor}</td>
                    <td>{h.action}</td>
                    <td>{describeChange(h)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <p className="muted">
        <Link to={`/review${ctx.search}`}>Back to the queue</Link> · <Link to={`/documents/${view.document.id}`}>Document page</Link>
      </p>
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
      {bulk && (
        <BulkDialog
          ctx={ctx}
          onClose={() => setBulk(false)}
          onDone={(n) => {
            setBulk(false);
            s.setNotice({ kind: 'info', text: `Bulk accepted ${n} ${n === 1 ? 'item' : 'items'}.` });
            s.reloadQueue(ctx);
            navigate(`/review${ctx.search}`);
          }}
        />
      )}
    </div>
  );
}

function sameSet(a: Set<string>, b: string[]): boolean {
  return a.size === new Set(b).size && b.every((x) => a.has(x));
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
