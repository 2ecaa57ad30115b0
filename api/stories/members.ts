import type { Db, DbOrTx } from '../../db/client.ts';
import { clientOf } from '../dashboard/rollups.ts';
import type { FoundStory } from './grouping.ts';

/**
 * Recomputes the membership summary kept on each story (documents, distinct sources, first and
 * last publication date) after its documents changed; call in the transaction that changed them.
 * Stories left with no document are deleted.
 */
export function refreshStories(tx: DbOrTx, storyIds: readonly number[]): void {
  if (storyIds.length === 0) return;
  const c = clientOf(tx);
  const update = c.prepare(`
    UPDATE stories SET
      document_count = (SELECT count(*) FROM story_documents WHERE story_id = stories.id),
      source_count = (SELECT count(DISTINCT d.source_id) FROM story_documents sd JOIN documents d ON d.id = sd.document_id WHERE sd.story_id = stories.id),
      first_published = (SELECT min(d.published_start) FROM story_documents sd JOIN documents d ON d.id = sd.document_id WHERE sd.story_id = stories.id),
      last_published = (SELECT max(d.published_start) FROM story_documents sd JOIN documents d ON d.id = sd.document_id WHERE sd.story_id = stories.id)
    WHERE id = ?`);
  const empty = c.prepare('DELETE FROM stories WHERE id = ? AND document_count = 0');
  for (const id of new Set(storyIds)) {
    update.run(id);
    empty.run(id);
  }
}

/** What saving a grouping changed. */
export interface SavedGrouping {
  /** Machine stories made new, kept (same id, members replaced) and dropped. */
  created: number;
  kept: number;
  dropped: number;
  /** Edited stories that gained documents, and how many documents they gained. */
  editedGrown: number;
  addedToEdited: number;
}

/**
 * Replaces the machine's stories with a new grouping in one transaction, so readers see the old
 * stories or the new ones. A new story takes the id of the old machine story it shares the most
 * documents with (links and filters by story id keep working across re-grouping); edited
 * stories keep their documents and gain the ones the grouping found for them.
 */
export function saveGrouping(db: Db, found: readonly FoundStory[], titles: ReadonlyMap<number, { title: string; day: number | null }>, by: { name: string; jobId: number | null }, now: Date): SavedGrouping {
  const at = now.toISOString();
  const c = clientOf(db);
  return c.transaction((): SavedGrouping => {
    const old = c.prepare('SELECT sd.story_id, sd.document_id FROM story_documents sd JOIN stories s ON s.id = sd.story_id WHERE s.edited = FALSE').raw().all() as [number, number][];
    const oldStoryOf = new Map(old.map(([s, d]) => [d, s]));
    const machine = found.filter((f) => f.editedStoryId === null);
    const overlaps: { story: number; old: number; n: number }[] = [];
    machine.forEach((f, k) => {
      const n = new Map<number, number>();
      for (const m of f.members) {
        const s = oldStoryOf.get(m.documentId);
        if (s !== undefined) n.set(s, (n.get(s) ?? 0) + 1);
      }
      for (const [s, count] of n) overlaps.push({ story: k, old: s, n: count });
    });
    overlaps.sort((x, y) => y.n - x.n || x.old - y.old);
    const idOf = new Map<number, number>();
    const taken = new Set<number>();
    for (const o of overlaps) {
      if (idOf.has(o.story) || taken.has(o.old)) continue;
      idOf.set(o.story, o.old);
      taken.add(o.old);
    }
    const oldIds = new Set(oldStoryOf.values());
    c.prepare('DELETE FROM story_documents WHERE story_id IN (SELECT id FROM stories WHERE edited = FALSE)').run();
    const drop = c.prepare('DELETE FROM stories WHERE id = ?');
    for (const id of oldIds) if (!taken.has(id)) drop.run(id);
    c.prepare('DELETE FROM stories WHERE edited = FALSE AND document_count = 0 AND id NOT IN (SELECT story_id FROM story_documents)').run();

    const insertStory = c.prepare("INSERT INTO stories (title, origin, created_by, job_id, created_at, updated_at) VALUES (?, 'machine', ?, ?, ?, ?)");
    const updateStory = c.prepare('UPDATE stories SET title = ?, job_id = ?, updated_at = ? WHERE id = ?');
    const insertMember = c.prepare("INSERT INTO story_documents (document_id, story_id, added_by, added_by_name, method, similarity, note, added_at) VALUES (?, ?, 'machine', ?, ?, ?, ?, ?)");
    const touched: number[] = [];
    const saved: SavedGrouping = { created: 0, kept: 0, dropped: oldIds.size - taken.size, editedGrown: 0, addedToEdited: 0 };
    machine.forEach((f, k) => {
      const title = storyTitle(f, titles);
      let id = idOf.get(k);
      if (id === undefined) {
        id = Number(insertStory.run(title, by.name, by.jobId, at, at).lastInsertRowid);
        saved.created++;
      } else {
        updateStory.run(title, by.jobId, at, id);
        saved.kept++;
      }
      for (const m of f.members) insertMember.run(m.documentId, id, by.name, m.link?.method ?? 'similarity', m.link?.similarity ?? null, m.link?.note ?? null, at);
      touched.push(id);
    });
    const memberOf = c.prepare('SELECT story_id FROM story_documents WHERE document_id = ?').pluck();
    for (const f of found) {
      if (f.editedStoryId === null) continue;
      const fresh = f.members.filter((m) => memberOf.get(m.documentId) === undefined);
      for (const m of fresh) insertMember.run(m.documentId, f.editedStoryId, by.name, m.link?.method ?? 'similarity', m.link?.similarity ?? null, m.link?.note ?? null, at);
      if (fresh.length > 0) {
        saved.editedGrown++;
        saved.addedToEdited += fresh.length;
        touched.push(f.editedStoryId);
      }
    }
    refreshStories(db, touched);
    return saved;
  }).immediate();
}

/** A machine story's title: its earliest document's (the first report of the event), ties by id. */
function storyTitle(f: FoundStory, titles: ReadonlyMap<number, { title: string; day: number | null }>): string {
  let best: { id: number; title: string; day: number } | null = null;
  for (const m of f.members) {
    const t = titles.get(m.documentId);
    if (!t) continue;
    const day = t.day ?? Number.POSITIVE_INFINITY;
    if (!best || day < best.day || (day === best.day && m.documentId < best.id)) best = { id: m.documentId, title: t.title, day };
  }
  return best?.title ?? 'Untitled story';
}
