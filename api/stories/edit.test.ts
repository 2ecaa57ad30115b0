import { describe, expect, it } from 'vitest';
import { seedCorpus } from '../fixtures.ts';
import { testDeps } from '../testing.ts';
import { mergeStories, removeStoryDocument, renameStory, splitStory } from './edit.ts';
import { listStories } from './read.ts';
import { startGrouping } from './service.ts';
import { reportIds, storyCorpus } from './testing.ts';

const at = new Date('2026-01-15T12:00:00Z');

/** A corpus grouped into its three stories: strike (3 outlets), rate (2), flood (2). */
async function grouped() {
  const deps = testDeps();
  const ids = reportIds(seedCorpus(deps.db, storyCorpus()));
  await deps.jobs.settled(startGrouping(deps, {}, 'ana').id);
  const storyOf = (doc: number) => deps.db.$client.prepare('SELECT story_id FROM story_documents WHERE document_id = ?').pluck().get(doc) as number | undefined;
  const members = (story: number) => deps.db.$client.prepare('SELECT document_id FROM story_documents WHERE story_id = ? ORDER BY document_id').pluck().all(story) as number[];
  const auditOf = (story: number) => deps.db.$client.prepare("SELECT actor, action FROM audit_log WHERE entity_type = 'story' AND entity_id = ? ORDER BY id").all(story);
  return { deps, ids, storyOf, members, auditOf, regroup: () => deps.jobs.settled(startGrouping(deps, {}, 'ana').id) };
}

describe('editing stories', () => {
  it('renames a story, and re-grouping keeps the title', async () => {
    const { deps, ids, storyOf, auditOf, regroup } = await grouped();
    const strike = storyOf(ids.strikeNorth)!;
    expect(renameStory(deps.db, 'ben', strike, { title: '  Valmora dock strike  ' }, at)).toMatchObject({ id: strike, title: 'Valmora dock strike', edited: true, editedBy: 'ben' });
    await regroup();
    expect(deps.db.$client.prepare('SELECT title FROM stories WHERE id = ?').pluck().get(strike)).toBe('Valmora dock strike');
    expect(auditOf(strike)).toEqual([{ actor: 'ben', action: 'story.rename' }]);
    expect(() => renameStory(deps.db, 'ben', strike, { title: '   ' }, at)).toThrow('a title needs at least one character');
  });

  it('merges stories into one and re-grouping does not pull them apart', async () => {
    const { deps, ids, storyOf, members, regroup } = await grouped();
    const rate = storyOf(ids.rateNorth)!;
    const flood = storyOf(ids.floodDaily)!;
    expect(mergeStories(deps.db, 'ben', rate, { stories: [flood] }, at)).toMatchObject({ id: rate, documentCount: 4, sourceCount: 3, firstPublished: '2025-03-06', lastPublished: '2025-03-11', edited: true });
    expect(deps.db.$client.prepare('SELECT count(*) FROM stories WHERE id = ?').pluck().get(flood)).toBe(0);
    await regroup();
    expect(members(rate)).toEqual([ids.rateNorth, ids.rateDaily, ids.floodDaily, ids.floodCourier].sort((a, b) => a - b));
    expect(() => mergeStories(deps.db, 'ben', rate, { stories: [rate] }, at)).toThrow('cannot be merged into itself');
    expect(() => mergeStories(deps.db, 'ben', rate, { stories: [9999] }, at)).toThrow('story 9999 not found');
  });

  it('splits chosen documents into a new story, both kept by re-grouping', async () => {
    const { deps, ids, storyOf, members, auditOf, regroup } = await grouped();
    const strike = storyOf(ids.strikeNorth)!;
    const { story, created } = splitStory(deps.db, 'ben', strike, { documents: [ids.strikeCourier] }, at);
    expect(story).toMatchObject({ id: strike, documentCount: 2, edited: true });
    expect(created).toMatchObject({ title: 'Strike halts cranes at Valmora: union demands night-shift bonus back', origin: 'person', createdBy: 'ben', documentCount: 1, edited: true });
    const again = await regroup();
    expect(again.result).toMatchObject({ addedToEdited: 0 });
    expect(members(strike)).toEqual([ids.strikeNorth, ids.strikeDaily].sort((a, b) => a - b));
    expect(members(created.id)).toEqual([ids.strikeCourier]);
    expect(auditOf(strike)).toEqual([{ actor: 'ben', action: 'story.split' }]);
    expect(() => splitStory(deps.db, 'ben', strike, { documents: [ids.strikeNorth, ids.strikeDaily] }, at)).toThrow('a split leaves at least one document');
    expect(() => splitStory(deps.db, 'ben', strike, { documents: [ids.rateNorth] }, at)).toThrow(`document ${ids.rateNorth} is not in story ${strike}`);
  });

  it('lists edited stories apart from the grouped ones, and marks a split-off story\'s title as given or taken', async () => {
    const { deps, ids, storyOf } = await grouped();
    const strike = storyOf(ids.strikeNorth)!;
    const rate = storyOf(ids.rateNorth)!;
    const flood = storyOf(ids.floodDaily)!;
    const named = splitStory(deps.db, 'ben', strike, { documents: [ids.strikeCourier], title: 'Courier on the strike' }, at).created;
    const taken = splitStory(deps.db, 'ben', rate, { documents: [ids.rateDaily] }, at).created;
    const idsOf = (edited: boolean) => listStories(deps.db, { edited, limit: 50 }).stories.map((st) => [st.id, st.edited]).sort(([a], [b]) => Number(a) - Number(b));
    expect(idsOf(true)).toEqual([strike, rate, named.id, taken.id].sort((a, b) => a - b).map((id) => [id, true]));
    expect(idsOf(false)).toEqual([[flood, false]]);
    expect(listStories(deps.db, { limit: 50 }).total).toBe(5);
    const titleEdited = (id: number) => deps.db.$client.prepare('SELECT title_edited FROM stories WHERE id = ?').pluck().get(id);
    expect([titleEdited(named.id), titleEdited(taken.id)]).toEqual([1, 0]);
  });

  it('removes a document from a story and re-grouping never puts it back there', async () => {
    const { deps, ids, storyOf, members, auditOf, regroup } = await grouped();
    const strike = storyOf(ids.strikeNorth)!;
    expect(removeStoryDocument(deps.db, 'ben', strike, ids.strikeDaily, at)).toMatchObject({ id: strike, documentCount: 2, sourceCount: 2, edited: true });
    await regroup();
    expect(members(strike)).toEqual([ids.strikeNorth, ids.strikeCourier].sort((a, b) => a - b));
    expect(storyOf(ids.strikeDaily), 'alone it is no story').toBeUndefined();
    expect(auditOf(strike)).toEqual([{ actor: 'ben', action: 'story.remove-document' }]);
    expect(() => removeStoryDocument(deps.db, 'ben', strike, ids.strikeDaily, at)).toThrow(`document ${ids.strikeDaily} is not in story ${strike}`);
  });

  it('lets an edited story gain a new report of its event at re-grouping', async () => {
    const { deps, ids, storyOf, members, regroup } = await grouped();
    const rate = storyOf(ids.rateNorth)!;
    renameStory(deps.db, 'ben', rate, { title: 'Rate rise' }, at);
    const [late] = seedCorpus(deps.db, [{ name: 'Evening Star', documents: [{ title: 'Drelland central bank lifts main rate to 4.5 percent, Marant warns of more', published: '2025-03-07', passages: [{ text: 'The central bank of Drelland raised its main interest rate by half a point to 4.5 percent, governor Ilse Marant said, warning that inflation above six percent could force further rises.' }] }] }]);
    const result = await regroup();
    expect(result.result).toMatchObject({ editedGrown: 1, addedToEdited: 1 });
    expect(members(rate)).toEqual([ids.rateNorth, ids.rateDaily, late!.id].sort((a, b) => a - b));
    expect(deps.db.$client.prepare('SELECT added_by, method FROM story_documents WHERE document_id = ?').get(late!.id)).toEqual({ added_by: 'machine', method: 'similarity' });
  });
});
