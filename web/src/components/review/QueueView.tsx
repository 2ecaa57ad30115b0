import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { QUEUE_ORDERS, type QueueFilter } from '../../lib/api/review.ts';
import { useBulkAccept } from './BulkDialog.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { runBinding, typingInField, useWindowKeys, type KeyBinding } from './keys.ts';
import { queueContext, useReviewSession } from './session.tsx';
import { UserText } from '../UserText.tsx';
import { SourcePicker, type PickableSource } from '../SourcePicker.tsx';
import { listSources } from '../../lib/api/corpus.ts';
import { ModelQualityNote } from '../tagging/ModelQualityNote.tsx';

const ORDER_NAMES: Record<(typeof QUEUE_ORDERS)[number], string> = {
  confidence: 'least confident first',
  document: 'document order',
  random: 'random sample',
  disputed: 'most disputed first',
};

/** The queue: filters and ordering in the URL, the first page of items, Enter starts reviewing. */
export function QueueView() {
  const s = useReviewSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const ctx = useMemo(() => queueContext(params), [params]);
  const bulk = useBulkAccept(ctx);
  const [help, setHelp] = useState(false);
  const { codebook } = s.setup;

  const [sources, setSources] = useState<PickableSource[]>([]);

  useEffect(() => s.reloadQueue(ctx), [s.reloadQueue, ctx]);
  useEffect(() => {
    listSources().then(setSources, () => setSources([]));
  }, []);
  const pickedSources = (ctx.filter.sources ?? '').split(',').filter((t) => /^\d+$/.test(t)).map(Number);

  const set = (key: keyof QueueFilter | 'order', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const first = s.queue.entries[0]?.itemId;
  const bindings: KeyBinding[] = [
    { keys: ['Enter', 'j'], hint: 'Enter  or  j', what: 'start reviewing at the first item', run: () => first !== undefined && navigate(`/review/items/${first}${ctx.search}`) },
    { keys: ['b'], hint: 'b', what: 'bulk accept above a confidence threshold in this queue', run: bulk.open },
    { keys: ['?'], hint: '?', what: 'this help', run: () => setHelp(true) },
  ];
  useWindowKeys((e: KeyboardEvent) => {
    if (bulk.isOpen || e.ctrlKey || e.metaKey || e.altKey) return;
    if (help) {
      if (e.key === 'Escape' || e.key === '?') setHelp(false);
      return;
    }
    if (typingInField(e)) return;
    if (runBinding(bindings, e)) e.preventDefault();
  });

  const text = (key: keyof QueueFilter, label: string, size = 8) => (
    <label>
      {label} <input aria-label={label} size={size} defaultValue={ctx.filter[key] ?? ''} onBlur={(e) => set(key, e.target.value.trim())} onKeyDown={(e) => e.key === 'Enter' && set(key, e.currentTarget.value.trim())} />
    </label>
  );
  const choice = (key: keyof QueueFilter | 'order', label: string, options: [string, string][], value: string) => (
    <label>
      {label}{' '}
      <select aria-label={label} value={value} onChange={(e) => set(key, e.target.value)}>
        {options.map(([v, name]) => (
          <option key={v} value={v}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );

  const clearComparison = () => {
    const next = new URLSearchParams(params);
    next.delete('comparison');
    next.delete('disagree');
    setParams(next);
  };
  return (
    <div>
      {ctx.filter.comparison && (
        <p className="panel row" data-testid="queue-comparison">
          {ctx.filter.disagree === '1' ? `Only the items where the models of comparison #${ctx.filter.comparison} disagree.` : `Only the sample of comparison #${ctx.filter.comparison}.`}{' '}
          <Link to={`/evals?comparison=${ctx.filter.comparison}`}>The comparison</Link> <button onClick={clearComparison}>Show every item</button>
        </p>
      )}
      <div className="panel row review-filters">
        {choice('level', 'Level', [['passage', 'passages'], ['document', 'documents']], ctx.filter.level ?? 'passage')}
        {choice('status', 'Status', [['', 'any (not excluded)'], ['unreviewed', 'unreviewed'], ['reviewed', 'reviewed'], ['rejected', 'rejected (no answer)'], ['disputed', 'disputed'], ['excluded', 'excluded']], ctx.filter.status ?? '')}
        {choice('order', 'Order', QUEUE_ORDERS.map((o) => [o, ORDER_NAMES[o]]), ctx.order)}
        {choice('label', 'Suggested label', [['', 'any'], ...codebook.labels.map((l): [string, string] => [l.id, l.name])], ctx.filter.label ?? '')}
        {choice('theme', 'Theme', [['', 'any'], ...codebook.themes.map((t): [string, string] => [t.id, t.name])], ctx.filter.theme ?? '')}
        {choice('disagreement', 'Disagreement', [['', 'any or none'], ['models', 'between models'], ['reviewers', 'between reviewers'], ['model-reviewer', 'reviewer vs model'], ['any', 'any kind']], ctx.filter.disagreement ?? '')}
        {text('minConfidence', 'Confidence from', 4)}
        {text('maxConfidence', 'to', 4)}
        <SourcePicker sources={sources} selected={pickedSources} onChange={(next) => set('sources', next.join(','))} />
        {text('document', 'Document id', 6)}
        {text('provider', 'Provider')}
        {text('model', 'Model')}
        {text('promptVersion', 'Prompt version')}
      </div>
      <div className="panel">
        <div className="row">
          <strong data-testid="queue-total">{s.queue.loading && s.queue.entries.length === 0 ? 'Loading…' : `${s.queue.total} items`}</strong>
          {first !== undefined && (
            <Link to={`/review/items/${first}${ctx.search}`}>
              Start reviewing (<kbd>Enter</kbd>)
            </Link>
          )}
          <button onClick={bulk.open}>
            <kbd>b</kbd> Bulk accept…
          </button>
          <span className="muted">
            <kbd>?</kbd> keyboard shortcuts
          </span>
        </div>
        {s.queue.error && <p className="error">{s.queue.error}</p>}
        <ModelQualityNote />
        <table className="grid review-queue">
          <thead>
            <tr>
              <th>Item</th>
              <th>Source · document</th>
              <th>Text</th>
              <th>Suggested</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {s.queue.entries.map((e) => (
              <tr key={e.itemId} className={e.excluded ? 'review-excluded' : undefined}>
                <td>
                  <Link to={`/review/items/${e.itemId}${ctx.search}`}>{e.itemId}</Link>
                </td>
                <td>
                  <UserText text={e.sourceName} /> · <UserText text={e.documentTitle} /> {e.level === 'passage' ? `§${e.seq + 1}` : ''}
                </td>
                <td className="review-snippet" dir="auto">
                  {e.snippet}
                </td>
                <td>
                  {e.suggestedLabel ?? '—'} {e.suggestedConfidence !== null ? `${Math.round(e.suggestedConfidence * 100)}%` : ''}
                  {e.nearGuess && <span className="badge near-guess">close to a guess</span>}
                  {e.suggestionAgreement !== null && e.suggestionAgreement < 1 ? ` (agreement ${Math.round(e.suggestionAgreement * 100)}%)` : ''}
                </td>
                <td>
                  {e.excluded ? 'excluded' : (e.reviewStatus ?? 'hidden')}
                  {e.reviewedLabel ? `: ${e.reviewedLabel}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {s.queue.cursor && (
          <button onClick={s.loadMore} disabled={s.queue.loading}>
            More
          </button>
        )}
      </div>
      {help && <HelpOverlay bindings={bindings} onClose={() => setHelp(false)} />}
      {bulk.element}
    </div>
  );
}
