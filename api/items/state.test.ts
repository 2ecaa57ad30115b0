import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../testing.ts';
import { items, itemThemes, passages } from '../../db/schema/index.ts';
import { addReview, addSuggestion, seedCorpus } from '../fixtures.ts';

function setup() {
  const db = createTestDb();
  const [doc] = seedCorpus(db, [
    { name: 'Outlet A', documents: [{ title: 'T', passages: [{ text: 'First claim.' }, { text: '© 2020 Outlet', excluded: true, reason: 'copyright' }] }] },
  ]);
  const item = (id: number) => db.select().from(items).where(eq(items.id, id)).get()!;
  return { db, doc: doc!, item };
}

describe('item state', () => {
  it('marks a suggested item as model-final and mirrors its themes', () => {
    const { db, doc, item } = setup();
    const itemId = doc.passageItemIds[0]!;
    addSuggestion(db, itemId, { label: 'critical', stance: -1, themes: ['sovereignty'], confidence: 0.7 });
    expect(item(itemId)).toMatchObject({ suggestedLabel: 'critical', suggestedStance: -1, reviewStatus: 'unreviewed', finalOrigin: 'model', suggestionCount: 1 });
    expect(db.select().from(itemThemes).where(eq(itemThemes.itemId, itemId)).all()).toEqual([{ itemId, kind: 'suggested', theme: 'sovereignty' }]);
  });

  it('disputes an item when two reviewers disagree and settles it by adjudication', () => {
    const { db, doc, item } = setup();
    const itemId = doc.passageItemIds[0]!;
    addSuggestion(db, itemId, { label: 'critical', stance: -1 });
    addReview(db, itemId, { reviewer: 'ana', action: 'accept', label: 'critical', stance: -1 });
    expect(item(itemId)).toMatchObject({ reviewStatus: 'reviewed', reviewedLabel: 'critical', finalOrigin: 'reviewer', reviewCount: 1 });
    addReview(db, itemId, { reviewer: 'ben', action: 'edit', label: 'analytical', stance: 0 });
    expect(item(itemId)).toMatchObject({ reviewStatus: 'disputed', reviewedLabel: null, reviewCount: 2 });
    addReview(db, itemId, { reviewer: 'admin', role: 'admin', action: 'adjudicate', label: 'analytical', stance: 0, themes: ['sanctions'] });
    expect(item(itemId)).toMatchObject({ reviewStatus: 'adjudicated', reviewedLabel: 'analytical', finalOrigin: 'adjudication' });
  });

  it('restores the previous state when a decision is undone', () => {
    const { db, doc, item } = setup();
    const itemId = doc.passageItemIds[0]!;
    addSuggestion(db, itemId, { label: 'critical', stance: -1 });
    const reviewId = addReview(db, itemId, { reviewer: 'ana', action: 'edit', label: 'integrationist', stance: 2, themes: ['union-state'] });
    addReview(db, itemId, { reviewer: 'ana', action: 'undo', undoesReviewId: reviewId });
    expect(item(itemId)).toMatchObject({ reviewStatus: 'unreviewed', reviewedLabel: null, finalOrigin: 'model', reviewCount: 0 });
    expect(db.select().from(itemThemes).where(eq(itemThemes.kind, 'reviewed')).all()).toEqual([]);
  });

  it('lets a reviewer override the segmenter and an undo restore its verdict', () => {
    const { db, doc, item } = setup();
    const itemId = doc.passageItemIds[1]!;
    const include = addReview(db, itemId, { reviewer: 'ana', action: 'include' });
    expect(item(itemId).excluded).toBe(false);
    expect(db.select().from(passages).where(eq(passages.id, doc.passageIds[1]!)).get()).toMatchObject({ excluded: false, excludedBy: 'reviewer' });
    addReview(db, itemId, { reviewer: 'ana', action: 'undo', undoesReviewId: include });
    expect(item(itemId).excluded).toBe(true);
    expect(db.select().from(passages).where(eq(passages.id, doc.passageIds[1]!)).get()).toMatchObject({ excluded: true, excludedReason: 'copyright', excludedBy: 'auto' });
  });
});
