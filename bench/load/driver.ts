/**
 * The load the server is put under: reviewers deciding, exports streaming, each request timed
 * and counted per route. Runs in its own process (bench/load.ts), talking HTTP to the server's.
 */

/** Timings (ms) and status counts per route pattern. */
export class RouteStats {
  readonly times = new Map<string, number[]>();
  readonly statuses = new Map<string, Map<number, number>>();

  record(route: string, status: number, ms: number): void {
    (this.times.get(route) ?? this.times.set(route, []).get(route)!).push(ms);
    const s = this.statuses.get(route) ?? this.statuses.set(route, new Map()).get(route)!;
    s.set(status, (s.get(status) ?? 0) + 1);
  }

  /** How many answers had a 5xx status, over every route. */
  serverErrors(): number {
    let n = 0;
    for (const s of this.statuses.values()) for (const [status, count] of s) if (status >= 500) n += count;
    return n;
  }
}

/** The p-quantile of sorted values (linear interpolation). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** One timed request; the body is read (and returned when JSON) so the time covers the whole answer. */
export async function timed(stats: RouteStats, route: string, url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const t0 = performance.now();
  let status = 0;
  let body: unknown = null;
  try {
    const res = await fetch(url, init);
    status = res.status;
    const text = await res.text();
    body = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  } catch {
    status = 599; // the connection failed: counted as a server error
  }
  stats.record(route, status, performance.now() - t0);
  return { status, body };
}

/** Acknowledged decisions: item id → the review id the server answered with (201). */
export type Acks = Map<number, number>;

export interface ReviewerOptions {
  base: string;
  name: string;
  itemIds: number[];
  stats: RouteStats;
  acks: Acks;
  until: number;
  /** ms between a reviewer's decisions (reading time). */
  thinkMs: number;
  /** Every n-th decision is sent twice with its key, as a retry after a lost answer would be. */
  replayEvery: number;
  requestsLeft: { n: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A reviewer on loopback: chooses a name, then opens each item and accepts its suggestion, until time or requests run out. */
export async function reviewer(o: ReviewerOptions): Promise<void> {
  const me = await fetch(`${o.base}/api/auth/me`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: o.name }) });
  if (me.status !== 200) throw new Error(`reviewer ${o.name}: ${me.status} ${await me.text()}`);
  const cookie = `fs_reviewer=${encodeURIComponent(o.name)}`;
  let n = 0;
  for (const id of o.itemIds) {
    if (Date.now() >= o.until || o.requestsLeft.n <= 0) return;
    o.requestsLeft.n -= 2;
    if (n % 10 === 0) await timed(o.stats, 'GET /api/review/queue', `${o.base}/api/review/queue?status=unreviewed&order=random&limit=20`, { headers: { cookie } });
    const view = await timed(o.stats, 'GET /api/items/:id', `${o.base}/api/items/${id}`, { headers: { cookie } });
    if (view.status !== 200) continue;
    const v = view.body as { item: { version: number }; suggestions: { id: number }[] };
    const decision = JSON.stringify({ action: 'accept', suggestionId: v.suggestions[0]!.id, basedOnVersion: v.item.version, queueOrder: 'random', idempotencyKey: `load:${o.name}:${id}` });
    const post = () => timed(o.stats, 'POST /api/items/:id/reviews', `${o.base}/api/items/${id}/reviews`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: decision });
    const saved = await post();
    if (saved.status === 201) o.acks.set(id, (saved.body as { reviewId: number }).reviewId);
    if (++n % o.replayEvery === 0) {
      const again = await post();
      if (again.status === 201 && (again.body as { reviewId: number }).reviewId !== o.acks.get(id)) throw new Error(`replay of item ${id} answered with another review`);
    }
    await sleep(o.thinkMs);
  }
}

/** Downloads exports back to back until time runs out; each must end with its end marker (a whole file). */
export async function exporter(base: string, stats: RouteStats, until: number, query: string): Promise<{ files: number; bytes: number; incomplete: number }> {
  const out = { files: 0, bytes: 0, incomplete: 0 };
  while (Date.now() < until) {
    const t0 = performance.now();
    let status = 599;
    try {
      const res = await fetch(`${base}/api/export?${query}`);
      status = res.status;
      let tail = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        out.bytes += chunk.length;
        tail = (tail + Buffer.from(chunk).toString('latin1')).slice(-200);
      }
      out.files += 1;
      if (!/\r\nend,\d+,*\r\n$/.test(tail)) out.incomplete += 1;
    } catch {
      out.incomplete += 1;
    }
    stats.record('GET /api/export', status, performance.now() - t0);
  }
  return out;
}
