import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { audit } from '../audit.ts';
import { clientOf } from '../dashboard/rollups.ts';
import { badRequest, notFound } from '../errors.ts';
import { MAX_IDS_PER_LIST } from '../guards/limits.ts';
import { refreshStories } from './members.ts';
import { storySummary, type StorySummary } from './read.ts';

/**
 * People's edits of stories: rename, merge, split, remove a document. Each runs in one
 * transaction with its audit entry and marks the stories it touched `edited`, which is what
 * re-grouping keeps (api/stories/grouping.ts: an edited story keeps its documents, never merges
 * with another edited story, and never gets back a document a person removed from it).
 */

const Title = z.string().trim().min(1, 'a title needs at least one character').max(300, 'a title is at most 300 characters');
const Ids = (what: string) => z.array(z.number().int().positive()).min(1, `name at least one ${what}`).max(MAX_IDS_PER_LIST, `at most ${MAX_IDS_PER_LIST} ids`);

export const StoryRenameSchema = z.object({ title: Title }).meta({ id: 'StoryRename' });
export const StoryMergeSchema = z.object({ stories: Ids('story to merge into this one') }).meta({ id: 'StoryMerge' });
export const StorySplitSchema = z.object({ documents: Ids('document to move to the new story'), title: Title.optional() }).meta({ id: 'StorySplit' });

function existing(db: Db, id: number): StorySummary {
  const story = storySummary(db, id);
  if (!story) throw notFound(`story ${id} not found`);
  return story;
}

function markEdited(db: Db, ids: readonly number[], actor: string, at: string): void {
  const mark = clientOf(db).prepare('UPDATE stories SET edited = TRUE, edited_by = ?, edited_at = ?, updated_at = ? WHERE id = ?');
  for (const id of ids) mark.run(actor, at, at, id);
}

const membersOf = (db: Db, id: number) => clientOf(db).prepare('SELECT document_id FROM story_documents WHERE story_id = ? ORDER BY document_id').pluck().all(id) as number[];

/** Gives a story the title a person chose (re-grouping never retitles it). */
export function renameStory(db: Db, actor: string, id: number, input: z.input<typeof StoryRenameSchema>, now: Date): StorySummary {
  const { title } = StoryRenameSchema.parse(input);
  const at = now.toISOString();
  db.transaction((tx) => {
    const before = existing(db, id);
    clientOf(tx).prepare('UPDATE stories SET title = ?, title_edited = TRUE WHERE id = ?').run(title, id);
    markEdited(db, [id], actor, at);
    audit(tx, { actor, action: 'story.rename', entityType: 'story', entityId: id, before: { title: before.title }, after: { title }, at: now });
  });
  return existing(db, id);
}

/** Moves every document of the other stories into this one and deletes them. */
export function mergeStories(db: Db, actor: string, id: number, input: z.input<typeof StoryMergeSchema>, now: Date): StorySummary {
  const others = [...new Set(StoryMergeSchema.parse(input).stories)];
  if (others.includes(id)) throw badRequest(`story ${id} cannot be merged into itself`, 'invalid_input');
  const at = now.toISOString();
  db.transaction((tx) => {
    existing(db, id);
    const c = clientOf(tx);
    const moved: Record<number, number[]> = {};
    for (const other of others) {
      existing(db, other);
      moved[other] = membersOf(db, other);
      c.prepare('UPDATE story_documents SET story_id = ? WHERE story_id = ?').run(id, other);
      c.prepare('DELETE FROM stories WHERE id = ?').run(other);
    }
    markEdited(db, [id], actor, at);
    refreshStories(tx, [id]);
    audit(tx, { actor, action: 'story.merge', entityType: 'story', entityId: id, details: { merged: others, documents: moved }, at: now });
  });
  return existing(db, id);
}

/** Moves the chosen documents of a story to a new story (made by the person, edited); the story keeps the rest. */
export function splitStory(db: Db, actor: string, id: number, input: z.input<typeof StorySplitSchema>, now: Date): { story: StorySummary; created: StorySummary } {
  const body = StorySplitSchema.parse(input);
  const chosen = [...new Set(body.documents)];
  const at = now.toISOString();
  const createdId = db.transaction((tx) => {
    existing(db, id);
    const members = new Set(membersOf(db, id));
    const stranger = chosen.find((d) => !members.has(d));
    if (stranger !== undefined) throw badRequest(`document ${stranger} is not in story ${id}`, 'invalid_input');
    if (chosen.length === members.size) throw badRequest(`a split leaves at least one document in story ${id}; to give the story another title, rename it`, 'invalid_input');
    const c = clientOf(tx);
    const title = body.title ?? (c.prepare(`SELECT title FROM documents WHERE id IN (${chosen.map(() => '?').join(',')}) ORDER BY published_start IS NULL, published_start, id LIMIT 1`).pluck().get(...chosen) as string);
    const created = Number(
      c.prepare(`INSERT INTO stories (title, origin, created_by, edited, title_edited, edited_by, edited_at, created_at, updated_at) VALUES (?, 'person', ?, TRUE, ${body.title ? 'TRUE' : 'FALSE'}, ?, ?, ?, ?)`).run(title, actor, actor, at, at, at).lastInsertRowid,
    );
    const move = c.prepare("UPDATE story_documents SET story_id = ?, added_by = 'person', added_by_name = ?, method = 'person', similarity = NULL, note = ?, added_at = ? WHERE document_id = ?");
    for (const d of chosen) move.run(created, actor, `split from story ${id}`, at, d);
    markEdited(db, [id], actor, at);
    refreshStories(tx, [id, created]);
    audit(tx, { actor, action: 'story.split', entityType: 'story', entityId: id, details: { created, documents: chosen, title }, at: now });
    return created;
  });
  return { story: existing(db, id), created: existing(db, createdId) };
}

/**
 * Takes a document out of a story; re-grouping never puts it back into that story. A story left
 * with no document is deleted (null).
 */
export function removeStoryDocument(db: Db, actor: string, id: number, documentId: number, now: Date): StorySummary | null {
  const at = now.toISOString();
  db.transaction((tx) => {
    existing(db, id);
    const c = clientOf(tx);
    const removed = c.prepare('DELETE FROM story_documents WHERE story_id = ? AND document_id = ? RETURNING added_by, method, similarity').get(id, documentId);
    if (!removed) throw notFound(`document ${documentId} is not in story ${id}`);
    c.prepare('INSERT INTO story_removals (story_id, document_id, removed_by, removed_at) VALUES (?, ?, ?, ?) ON CONFLICT (story_id, document_id) DO UPDATE SET removed_by = excluded.removed_by, removed_at = excluded.removed_at').run(id, documentId, actor, at);
    markEdited(db, [id], actor, at);
    refreshStories(tx, [id]);
    audit(tx, { actor, action: 'story.remove-document', entityType: 'story', entityId: id, before: removed, details: { documentId }, at: now });
  });
  return storySummary(db, id);
}
