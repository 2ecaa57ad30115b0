import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { reviews } from '../../db/schema/index.ts';
import { krippendorffAlpha, percentAgreement } from '../metrics/agreement.ts';
import type { HumanBaseline } from './result.ts';

/**
 * Human-human agreement next to model-human agreement, on items that several people decided
 * independently: each reviewer's latest standing accept/edit/reject with a label counts once
 * (undone reviews and adjudications are left out, since an adjudication settles rather than
 * rates). `predictions` maps gold ids (`item:<id>`) to the model's label; items the model did
 * not answer are skipped so both figures rest on the same items.
 */
export function humanBaseline(db: Db, predictions: Map<string, string>): HumanBaseline | null {
  const itemIds = [...predictions.keys()].filter((id) => id.startsWith('item:')).map((id) => Number(id.slice(5)));
  if (itemIds.length === 0) return null;
  const rows = db.select().from(reviews).where(inArray(reviews.itemId, itemIds)).all();
  const undone = new Set(rows.filter((r) => r.action === 'undo' && r.undoesReviewId !== null).map((r) => r.undoesReviewId!));
  const latest = new Map<number, Map<number, { id: number; label: string }>>();
  for (const r of rows) {
    if (!['accept', 'edit', 'reject'].includes(r.action) || r.label === null || undone.has(r.id)) continue;
    const byReviewer = latest.get(r.itemId) ?? new Map<number, { id: number; label: string }>();
    const prev = byReviewer.get(r.reviewerId);
    if (!prev || prev.id < r.id) byReviewer.set(r.reviewerId, { id: r.id, label: r.label });
    latest.set(r.itemId, byReviewer);
  }
  const units: { humans: string[]; model: string }[] = [];
  for (const [itemId, byReviewer] of latest) {
    if (byReviewer.size < 2) continue;
    units.push({ humans: [...byReviewer.values()].map((v) => v.label), model: predictions.get(`item:${itemId}`)! });
  }
  if (units.length === 0) return null;
  const modelShares = units.map((u) => u.humans.filter((h) => h === u.model).length / u.humans.length);
  return {
    items: units.length,
    humanHuman: { percentAgreement: percentAgreement(units.map((u) => u.humans)), alpha: krippendorffAlpha(units.map((u) => u.humans)) },
    modelHuman: { percentAgreement: modelShares.reduce((s, x) => s + x, 0) / modelShares.length },
  };
}
