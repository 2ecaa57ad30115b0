import type { Db } from '../../db/client.ts';
import { addImport, addReview, addSuggestion, seedCorpus } from '../fixtures.ts';

/**
 * One document of eight passages and one of four, each passage with its own history: a person
 * accepting, a bulk accept, a person and a bulk accept agreeing, a gold import, an import not
 * marked gold, an open reject, an open reject of the label another person gave, a dispute
 * settled by adjudication, an excluded passage, an undone random-order decision decided again,
 * a blind decision, and a few the model alone labelled.
 */
export function seedHistories(db: Db) {
  const [one, two] = seedCorpus(db, [
    {
      name: 'Outlet A',
      documents: [{ title: 'One', published: '2024-02-03', passages: Array.from({ length: 8 }, (_, k) => ({ text: `Passage ${k} of one about the union and its customs.` })) }],
    },
    { name: 'Outlet B', documents: [{ title: 'Two', published: '2023', passages: Array.from({ length: 4 }, (_, k) => ({ text: `Passage ${k} of two on sanctions and grain.` })) }] },
  ]);
  const p = [...one!.passageItemIds, ...two!.passageItemIds];
  const labels = ['critical', 'analytical', 'integrationist'];
  p.forEach((id, k) => addSuggestion(db, id, { label: labels[k % 3]!, stance: (k % 5) - 2, themes: k % 2 === 0 ? ['sovereignty'] : ['sanctions'], confidence: 0.5 + k / 40 }));
  addSuggestion(db, one!.itemId, { label: 'critical', stance: -1, themes: ['sanctions'] });
  const gold = addImport(db, 'coded-elsewhere', { gold: true });
  const carried = addImport(db, 'carried-along');
  addReview(db, p[0]!, { reviewer: 'ann', action: 'accept', label: 'critical', stance: -2, themes: ['sovereignty'] });
  addReview(db, p[1]!, { reviewer: 'bea', action: 'accept', kind: 'bulk', label: 'analytical', stance: -1, themes: ['sanctions'] });
  addReview(db, p[2]!, { reviewer: 'ann', action: 'edit', label: 'integrationist', stance: 1, themes: ['union-state'] });
  addReview(db, p[2]!, { reviewer: 'bea', action: 'accept', kind: 'bulk', label: 'integrationist', stance: 0 });
  addReview(db, p[3]!, { reviewer: 'import:coded-elsewhere', role: 'import', action: 'edit', kind: 'import', label: 'analytical', stance: 0, themes: ['energy-and-resources'], importId: gold });
  addReview(db, p[4]!, { reviewer: 'import:carried-along', role: 'import', action: 'edit', kind: 'import', label: 'critical', stance: -2, importId: carried });
  addReview(db, p[5]!, { reviewer: 'ann', action: 'reject', shown: { suggestion: { label: 'integrationist' } } });
  addReview(db, p[6]!, { reviewer: 'ann', action: 'reject', shown: { suggestion: { label: 'critical' } } });
  addReview(db, p[6]!, { reviewer: 'bob', action: 'accept', label: 'critical', stance: 0 });
  addReview(db, p[8]!, { reviewer: 'ann', action: 'edit', label: 'critical', stance: -1 });
  addReview(db, p[8]!, { reviewer: 'bob', action: 'edit', label: 'analytical', stance: 0 });
  addReview(db, p[8]!, { reviewer: 'root', role: 'admin', action: 'adjudicate', label: 'analytical', stance: 1, themes: ['sanctions', 'sovereignty'] });
  addReview(db, p[9]!, { reviewer: 'ann', action: 'exclude', note: 'caption' });
  addReview(db, one!.itemId, { reviewer: 'bea', action: 'accept', kind: 'bulk', label: 'critical', stance: -1, themes: ['sanctions'] });
  const random = addReview(db, p[10]!, { reviewer: 'cat', action: 'edit', label: 'integrationist', stance: 2, themes: ['union-state'], queueOrder: 'random' });
  addReview(db, p[10]!, { reviewer: 'cat', action: 'undo', undoesReviewId: random });
  addReview(db, p[10]!, { reviewer: 'cat', action: 'edit', label: 'analytical', stance: 0, queueOrder: 'random' });
  addReview(db, p[11]!, { reviewer: 'dan', action: 'edit', label: 'critical', stance: -1, blind: true });
  addReview(db, p[11]!, { reviewer: 'dan', action: 'include' });
  return { p, documentItems: [one!.itemId, two!.itemId] };
}
