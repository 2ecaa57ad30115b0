/**
 * Union-find over documents with the constraints that keep people's edits: two stories a person
 * edited never merge, a document a person took out of a story never goes back into it, and a
 * machine cluster never spans more days than the window (single linkage would otherwise chain
 * a week of loosely related reports into one "story").
 */

/** How a document came to be linked to its cluster. */
export interface Link {
  method: 'similarity' | 'llm' | 'syndicated';
  similarity: number | null;
  note: string | null;
}

export class Clusters {
  private readonly parent: Int32Array;
  private readonly minDay: Float64Array;
  private readonly maxDay: Float64Array;
  /** Story id of the edited story a root's cluster holds, or -1. */
  private readonly locked: Float64Array;
  /** Story ids a root's cluster's documents were taken out of. */
  private readonly forbidden: (Set<number> | null)[];
  /** The link that brought each node in (null: not linked by the machine). */
  readonly links: (Link | null)[];

  constructor(
    size: number,
    private readonly windowDays: number,
  ) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
    this.minDay = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
    this.maxDay = new Float64Array(size).fill(Number.NEGATIVE_INFINITY);
    this.locked = new Float64Array(size).fill(-1);
    this.forbidden = new Array<Set<number> | null>(size).fill(null);
    this.links = new Array<Link | null>(size).fill(null);
  }

  /** Sets a node's day (days since 1970-01-01), its edited story, and the stories it was removed from. */
  init(node: number, day: number | null, lockedStory: number | null, removedFrom: readonly number[]): void {
    if (day !== null) this.minDay[node] = this.maxDay[node] = day;
    if (lockedStory !== null) this.locked[node] = lockedStory;
    if (removedFrom.length > 0) this.forbidden[node] = new Set(removedFrom);
  }

  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }

  /** The edited story a node's cluster holds, or null. */
  lockedStory(node: number): number | null {
    const l = this.locked[this.find(node)]!;
    return l < 0 ? null : l;
  }

  private span(ra: number, rb: number): number {
    const lo = Math.min(this.minDay[ra]!, this.minDay[rb]!);
    const hi = Math.max(this.maxDay[ra]!, this.maxDay[rb]!);
    return Number.isFinite(lo) && Number.isFinite(hi) ? hi - lo : 0;
  }

  /** Whether joining the two nodes' clusters keeps every constraint (false when they are one already). */
  canJoin(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    const la = this.locked[ra]!;
    const lb = this.locked[rb]!;
    if (la >= 0 && lb >= 0) return false;
    if (la >= 0 && this.forbidden[rb]?.has(la)) return false;
    if (lb >= 0 && this.forbidden[ra]?.has(lb)) return false;
    // An edited story may already span more than the window (a person merged it); it may not grow beyond that.
    const allowed = Math.max(this.windowDays, la >= 0 ? this.span(ra, ra) : 0, lb >= 0 ? this.span(rb, rb) : 0);
    return this.span(ra, rb) <= allowed;
  }

  /** Joins without checking (people's stories are put together this way before any linking). */
  join(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    this.parent[rb] = ra;
    this.minDay[ra] = Math.min(this.minDay[ra]!, this.minDay[rb]!);
    this.maxDay[ra] = Math.max(this.maxDay[ra]!, this.maxDay[rb]!);
    if (this.locked[ra]! < 0) this.locked[ra] = this.locked[rb]!;
    const fa = this.forbidden[ra];
    const fb = this.forbidden[rb];
    if (fb) this.forbidden[ra] = fa ? new Set([...fa, ...fb]) : new Set(fb);
  }

  /** Links two nodes by a machine decision, if the constraints allow; says whether it did. */
  link(a: number, b: number, how: Link): boolean {
    if (!this.canJoin(a, b)) return false;
    this.join(a, b);
    for (const n of [a, b]) {
      const current = this.links[n];
      if (!current || (current.similarity ?? 0) < (how.similarity ?? 0)) this.links[n] = how;
    }
    return true;
  }
}
