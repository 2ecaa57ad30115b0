import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { reviewApi, type Decision, type ItemView } from '../../lib/api/review.ts';
import { useBulkAccept } from './BulkDialog.tsx';
import { DecisionPanel } from './DecisionPanel.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { ItemHistory } from './ItemHistory.tsx';
import { DocumentText, HighlightedText } from './ItemText.tsx';
import { itemBindings } from './itemBindings.ts';
import { runBinding, typingInField, useWindowKeys } from './keys.ts';
import { queueContext, useReviewSession, type QueueContext } from './session.tsx';
import { SuggestionsPanel } from './SuggestionsPanel.tsx';
import { useDecisionDraft } from './useDecisionDraft.ts';
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
  const adjudicating = ctx.mode === 'adjudicate';
  const [view, setView] = useState<ItemView | undefined>(() => (adjudicating ? undefined : s.cached(id)));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => s.ensureQueue(ctx), [s.ensureQueue, ctx]);
  useEffect(() => {
    const have = adjudicating ? undefined : s.cached(id);
    if (have) return setView(have);
    // Keep showing the current view of this item while a fresh one loads: no flash, no lost keypress.
    let live = true;
    (adjudicating ? reviewApi.item(id, 'adjudicate') : s.load(id)).then(
      (v) => live && (setView(v), setError(null)),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
    };
    // Every navigation (location.key) re-reads the cache: an undo back to this same item must show its new state.
  }, [id, adjudicating, location.key, s.cached, s.load]);

  if (!Number.isInteger(id) || id <= 0) return <p className="error">No item {itemId}.</p>;
  if (error) return <p className="error">{error}</p>;
  // A prefetched item renders in the same pass as the navigation, without waiting for an effect.
  const current = view?.item.id === id && view.mode === ctx.mode ? view : adjudicating ? undefined : s.cached(id);
  if (!current) return <p className="muted">Loading item {id}…</p>;
  return <ItemPanel key={`${id}:${current.item.version}:${current.mode}`} view={current} ctx={ctx} />;
}

function ItemPanel({ view, ctx }: { view: ItemView; ctx: QueueContext }) {
  const s = useReviewSession();
  const navigate = useNavigate();
  const { codebook } = s.setup;
  const id = view.item.id;
  const suggestion = view.blind ? null : (view.suggestions[0] ?? null);
  const draft = useDecisionDraft(view, s.actor.id);
  const [themeMode, setThemeMode] = useState(false);
  const [themeCursor, setThemeCursor] = useState(0);
  const [excluding, setExcluding] = useState(false);
  const [showDoc, setShowDoc] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [help, setHelp] = useState(false);
  const bulk = useBulkAccept(ctx);
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
    if (ctx.mode === 'code') s.prefetch(ahead.map((e) => e.itemId));
    if (position >= entries.length - 10) s.loadMore();
  }, [id, position, entries, s, ctx.mode]);

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

  const decide = (d: Omit<Decision, 'basedOnVersion'>, note = draft.note) => {
    const payload = {
      basedOnVersion: view.item.version,
      suggestionId: suggestion?.id ?? null,
      queueOrder: position >= 0 ? ctx.order : null,
      timeSpentMs: Math.round(performance.now() - shownAt.current),
      note: note.trim() || null,
      idempotencyKey: `${viewKey.current}:${d.action}:${d.label ?? ''}`,
      ...d,
    } as Decision;
    if (d.action !== 'skip') draft.clear();
    go(nextId);
    void s.submit(id, payload, { afterPaint: true });
  };
  const values = () => ({ label: draft.label, stance: draft.stance, themes: draft.themes });

  const accept = () => {
    // The coder's own decision, unchanged: the server stores nothing new (it answers unchanged).
    if (draft.start === 'mine' && !draft.changed && view.mine) {
      return view.mine.action === 'reject' && view.mine.label === null ? decide({ action: 'reject', label: null }) : decide({ action: 'edit', ...values() });
    }
    if (suggestion && draft.matchesSuggestion) return decide({ action: 'accept' });
    if (!draft.label) return s.setNotice({ kind: 'error', text: 'Pick a label first (number keys).' });
    decide({ action: 'edit', ...values() });
  };
  // A reject says the suggestion is wrong; a label other than the suggestion's is the right answer, else the answer stays open.
  const reject = () => {
    const answer = draft.label !== null && draft.label !== suggestion?.label ? draft.label : null;
    decide(answer ? { action: 'reject', ...values() } : { action: 'reject', label: null });
  };
  const exclude = () => {
    if (view.item.level !== 'passage') return s.setNotice({ kind: 'error', text: 'Only passages can be excluded.' });
    if (view.item.excluded) return decide({ action: 'include' });
    setExcluding(true);
  };
  const confirmExclude = (reason: string) => {
    if (!reason.trim()) return s.setNotice({ kind: 'error', text: 'Say why the passage is excluded (boilerplate, caption, navigation …).' });
    setExcluding(false);
    decide({ action: 'exclude' }, reason);
  };
  const adjudicate = () => {
    if (ctx.mode !== 'adjudicate') return s.setNotice({ kind: 'error', text: 'Adjudication is its own step: open the item from Adjudication.' });
    if (!view.adjudication.ready) return s.setNotice({ kind: 'error', text: `This item has ${view.adjudication.independent} of the ${view.adjudication.required} independent decisions it needs.` });
    if (!draft.label) return s.setNotice({ kind: 'error', text: 'Pick the settled label first (number keys).' });
    decide({ action: 'adjudicate', ...values() });
  };
  const undo = async () => {
    const target = await s.undo();
    if (target !== null) navigate(`/review/items/${target}${ctx.search}`);
  };
  const saveNote = () => {
    const text = draft.note.trim();
    if (!text) return;
    reviewApi.note(id, text).then(
      () => (draft.setNote(''), s.setNotice({ kind: 'info', text: `Note saved on item ${id}.` })),
      (err: Error) => s.setNotice({ kind: 'error', text: err.message }),
    );
  };

  const bindings = itemBindings({
    codebook,
    draft,
    adjudicating: ctx.mode === 'adjudicate',
    accept,
    reject,
    skip: () => decide({ action: 'skip' }),
    exclude,
    adjudicate,
    undo: () => void undo(),
    next: () => go(nextId),
    previous,
    themes: () => setThemeMode(true),
    note: () => noteRef.current?.focus(),
    document: () => setShowDoc((v) => !v),
    documentPage: () => navigate(`/documents/${view.document.id}`),
    history: () => setShowHistory((v) => !v),
    bulk: bulk.open,
    queue: () => navigate(`/review${ctx.search}`),
    help: () => setHelp(true),
  });

  useWindowKeys((e: KeyboardEvent) => {
    if (bulk.isOpen || e.ctrlKey || e.metaKey || e.altKey) return;
    if (help) {
      if (e.key === 'Escape' || e.key === '?') setHelp(false);
      return;
    }
    if (typingInField(e)) return;
    if (themeMode) {
      const n = codebook.themes.length;
      if (e.key === 'ArrowDown' || e.key === 'j') setThemeCursor((c) => (c + 1) % n);
      else if (e.key === 'ArrowUp' || e.key === 'k') setThemeCursor((c) => (c - 1 + n) % n);
      else if (e.key === ' ') draft.toggleTheme(codebook.themes[themeCursor]!.id);
      else if (e.key === 't' || e.key === 'Escape' || e.key === 'Enter') setThemeMode(false);
      else return;
      e.preventDefault();
      return;
    }
    if (runBinding(bindings, e)) e.preventDefault();
  });

  const labelName = (lid: string | null) => codebook.labels.find((l) => l.id === lid)?.name ?? lid ?? '—';
  const isDocument = view.item.level === 'document';

  return (
    <div className="review-item" data-item-id={id} data-testid="review-item">
      <div className="panel review-text-panel">
        <div className="row review-meta">
          <strong>
            <UserText text={view.source.name} />
          </strong>
          <span>{view.document.published ?? 'undated'}</span>
          <span>
            <UserText text={view.document.title} />
          </span>
          <span className="muted">
            {isDocument ? 'whole document' : `passage ${view.item.seq + 1}`} · item {id}
            {position >= 0 ? ` · ${position + 1} of ${s.queue.total} in queue` : ''}
          </span>
          {view.item.excluded && <span className="badge review-excluded">excluded{view.item.excludedReason ? `: ${view.item.excludedReason}` : ''}</span>}
          {view.item.reviewStatus && (
            <span className="badge" data-testid="review-status">
              {view.item.reviewStatus}
              {view.item.reviewedLabel ? `: ${labelName(view.item.reviewedLabel)}` : ''}
            </span>
          )}
          {view.blind && <span className="badge">blind</span>}
          {ctx.mode === 'adjudicate' && <span className="badge">adjudicating: everything visible</span>}
          {s.pending > 0 && <span className="muted">saving…</span>}
        </div>
        {isDocument || showDoc ? (
          <DocumentText view={view} evidence={suggestion?.evidence ?? []} />
        ) : (
          <div className="review-context">
            {view.previous && <p className={`review-neighbour${view.previous.excluded ? ' review-excluded' : ''}`}>{view.previous.text}</p>}
            <p className="review-text" data-testid="review-text" dir="auto">
              <HighlightedText text={view.text} evidence={suggestion?.evidence ?? []} />
            </p>
            {view.next && <p className={`review-neighbour${view.next.excluded ? ' review-excluded' : ''}`}>{view.next.text}</p>}
          </div>
        )}
      </div>

      <div className="review-columns">
        <DecisionPanel
          view={view}
          codebook={codebook}
          draft={draft}
          suggestion={suggestion}
          adjudicating={ctx.mode === 'adjudicate'}
          themeMode={themeMode}
          themeCursor={themeCursor}
          excluding={excluding}
          noteRef={noteRef}
          onAccept={accept}
          onReject={reject}
          onSkip={() => decide({ action: 'skip' })}
          onExclude={exclude}
          onConfirmExclude={confirmExclude}
          onCancelExclude={() => setExcluding(false)}
          onUndo={() => void undo()}
          onAdjudicate={adjudicate}
          onSaveNote={saveNote}
        />
        <SuggestionsPanel view={view} codebook={codebook} />
      </div>

      {showHistory && <ItemHistory itemId={id} />}
      <p className="muted">
        <Link to={`/review${ctx.search}`}>Back to the queue</Link> · <Link to={`/documents/${view.document.id}`}>Document page</Link>
      </p>
      {help && <HelpOverlay bindings={bindings} onClose={() => setHelp(false)} />}
      {bulk.element}
    </div>
  );
}
