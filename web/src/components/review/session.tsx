import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { reviewApi, FILTER_KEYS, QUEUE_ORDERS, type Actor, type Decision, type ItemView, type QueueEntry, type QueueFilter, type QueueOrder, type ReviewSetup } from '../../lib/api/review.ts';

/** The queue context an item was opened in, read from (and written to) the URL. */
export interface QueueContext {
  filter: QueueFilter;
  order: QueueOrder;
  /** code: deciding as a coder; adjudicate: an admin settling disagreements, seeing everything (`mode=adjudicate`). */
  mode: 'code' | 'adjudicate';
  /** The query string (with leading `?`) that reproduces this context. */
  search: string;
}

/** Reads filter and ordering from URL search params (unknown values dropped). */
export function queueContext(params: URLSearchParams): QueueContext {
  const filter: QueueFilter = {};
  for (const key of FILTER_KEYS) {
    const v = params.get(key);
    if (v) (filter as Record<string, string>)[key] = v;
  }
  const rawOrder = params.get('order');
  const order = (QUEUE_ORDERS as readonly string[]).includes(rawOrder ?? '') ? (rawOrder as QueueOrder) : 'random';
  const sp = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filter[key]) sp.set(key, filter[key]!);
  sp.set('order', order);
  const mode = params.get('mode') === 'adjudicate' ? 'adjudicate' : 'code';
  if (mode === 'adjudicate') sp.set('mode', mode);
  return { filter, order, mode, search: `?${sp.toString()}` };
}

interface QueueState {
  key: string;
  entries: QueueEntry[];
  cursor: string | null;
  total: number;
  loading: boolean;
  error: string | null;
}

export interface Notice {
  text: string;
  kind: 'info' | 'error';
  itemId?: number;
}

/** A decision saved by this reviewer in this session (the undo stack). */
interface Done {
  reviewId: number;
  itemId: number;
}

interface Session {
  actor: Actor;
  setup: ReviewSetup;
  queue: QueueState;
  /** Loads the first page for a queue context unless it is the one already loaded. */
  ensureQueue: (ctx: QueueContext) => void;
  /** Loads the next page when there is one. */
  loadMore: () => void;
  reloadQueue: (ctx: QueueContext) => void;
  /** A loaded item view, if cached. */
  cached: (id: number) => ItemView | undefined;
  /** Loads (or returns the in-flight load of) an item view. */
  load: (id: number) => Promise<ItemView>;
  prefetch: (ids: number[]) => void;
  invalidate: (id: number) => void;
  /** Saves a decision in the background (failures become a notice naming the item); with `afterPaint`, once the next item has been painted, still awaited by undo. */
  submit: (id: number, d: Decision, opts?: { afterPaint?: boolean }) => Promise<void>;
  pending: number;
  undo: () => Promise<number | null>;
  notice: Notice | null;
  setNotice: (n: Notice | null) => void;
  /** Items visited in this session, for "previous". */
  visited: React.MutableRefObject<number[]>;
}

const SessionContext = createContext<Session | null>(null);

/** The review session: queue pages, prefetched item views, the decisions to undo. */
export function ReviewSessionProvider({ actor, setup, children }: { actor: Actor; setup: ReviewSetup; children: ReactNode }) {
  const [queue, setQueue] = useState<QueueState>({ key: '', entries: [], cursor: null, total: 0, loading: false, error: null });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [pending, setPending] = useState(0);
  const views = useRef(new Map<number, ItemView>());
  const inflight = useRef(new Map<number, Promise<ItemView>>());
  const done = useRef<Done[]>([]);
  const visited = useRef<number[]>([]);
  const queueRef = useRef(queue);
  queueRef.current = queue;
  const ctxRef = useRef<QueueContext | null>(null);

  const requested = useRef(new Set<string>());
  const fetchPage = useCallback((ctx: QueueContext, cursor: string | null, append: boolean) => {
    if (!append) requested.current.clear();
    setQueue((q) => ({ ...q, key: ctx.search, loading: true, error: null, ...(append ? {} : { entries: [], cursor: null, total: 0 }) }));
    reviewApi
      .queue(ctx.filter, ctx.order, cursor)
      .then((page) =>
        setQueue((q) => {
          if (q.key !== ctx.search) return q;
          // Pages never overlap, but a page requested twice must not show an item twice.
          const have = new Set(append ? q.entries.map((e) => e.itemId) : []);
          const entries = append ? [...q.entries, ...page.entries.filter((e) => !have.has(e.itemId))] : page.entries;
          return { ...q, entries, cursor: page.nextCursor, total: page.total ?? q.total, loading: false };
        }),
      )
      .catch((err: Error) => setQueue((q) => ({ ...q, loading: false, error: err.message })));
  }, []);

  const ensureQueue = useCallback(
    (ctx: QueueContext) => {
      ctxRef.current = ctx;
      if (queueRef.current.key === ctx.search) return;
      queueRef.current = { ...queueRef.current, key: ctx.search };
      fetchPage(ctx, null, false);
    },
    [fetchPage],
  );
  const reloadQueue = useCallback(
    (ctx: QueueContext) => {
      ctxRef.current = ctx;
      queueRef.current = { ...queueRef.current, key: ctx.search };
      fetchPage(ctx, null, false);
    },
    [fetchPage],
  );
  const loadMore = useCallback(() => {
    const q = queueRef.current;
    if (!q.cursor || !ctxRef.current || requested.current.has(`${q.key}|${q.cursor}`)) return;
    requested.current.add(`${q.key}|${q.cursor}`);
    fetchPage(ctxRef.current, q.cursor, true);
  }, [fetchPage]);

  const load = useCallback((id: number) => {
    const have = views.current.get(id);
    if (have) return Promise.resolve(have);
    const running = inflight.current.get(id);
    if (running) return running;
    const p = reviewApi.item(id).then(
      (v) => {
        views.current.set(id, v);
        inflight.current.delete(id);
        return v;
      },
      (err: unknown) => {
        inflight.current.delete(id);
        throw err;
      },
    );
    inflight.current.set(id, p);
    return p;
  }, []);
  const cached = useCallback((id: number) => views.current.get(id), []);
  const prefetch = useCallback((ids: number[]) => ids.forEach((id) => void load(id).catch(() => undefined)), [load]);
  const invalidate = useCallback((id: number) => {
    views.current.delete(id);
    inflight.current.delete(id);
  }, []);

  const sendDecision = useCallback(
    async (id: number, d: Decision) => {
      setPending((n) => n + 1);
      try {
        const res = await reviewApi.decide(id, d);
        invalidate(id);
        // An unchanged repeat stored nothing: there is nothing new to undo.
        if (d.action !== 'skip' && !res.unchanged) done.current.push({ reviewId: res.reviewId, itemId: id });
      } catch (err) {
        invalidate(id);
        setNotice({ kind: 'error', text: `Item ${id} not saved: ${(err as Error).message}`, itemId: id });
      } finally {
        setPending((n) => n - 1);
      }
    },
    [invalidate],
  );

  const inFlightDecisions = useRef(new Set<Promise<void>>());
  const submit = useCallback(
    (id: number, d: Decision, opts: { afterPaint?: boolean } = {}) => {
      // afterPaint: send once the next item is on screen, so saving and rendering do not compete
      // for the same frame. The decision counts as in flight at once, so an undo still waits for it.
      const start = opts.afterPaint ? new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))) : Promise.resolve();
      const run = start.then(() => sendDecision(id, d));
      inFlightDecisions.current.add(run);
      void run.finally(() => inFlightDecisions.current.delete(run));
      return run;
    },
    [sendDecision],
  );
  const undo = useCallback(async () => {
    // Undo acts on the latest decision, so wait for the ones still on their way.
    await Promise.allSettled([...inFlightDecisions.current]);
    const last = done.current.pop();
    try {
      const res = await reviewApi.undo(last?.reviewId);
      invalidate(res.item.id);
      setNotice({ kind: 'info', text: `Undid your last decision on item ${res.item.id}`, itemId: res.item.id });
      return res.item.id;
    } catch (err) {
      setNotice({ kind: 'error', text: `Nothing undone: ${(err as Error).message}` });
      return null;
    }
  }, [invalidate]);

  const value = useMemo<Session>(
    () => ({
      actor,
      setup,
      queue,
      ensureQueue,
      loadMore,
      reloadQueue,
      cached,
      load,
      prefetch,
      invalidate,
      submit,
      pending,
      undo,
      notice,
      setNotice,
      visited,
    }),
    [actor, setup, queue, ensureQueue, loadMore, reloadQueue, cached, load, prefetch, invalidate, submit, pending, undo, notice],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useReviewSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useReviewSession outside ReviewSessionProvider');
  return s;
}
