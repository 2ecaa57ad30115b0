import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { rebuildRollups, ROLLUP_TABLES } from '../dashboard/rollups.ts';
import { createTestDb } from '../testing.ts';
import { seedHistories } from './testing.ts';

/** The item state api/items/state.ts writes, with every rollup, as comparable rows (versions left out: the backfill bumps them). */
function snapshot(db: Db) {
  const rows = (q: string) => (db.$client.prepare(q).all() as object[]).map((r) => JSON.stringify(r)).sort();
  return {
    items: rows(`SELECT id, review_status, review_count, decision_review_id, reviewed_label, reviewed_stance, final_origin,
                        independent_label, independent_stance, independent_review_id, independent_count, excluded FROM items`),
    themes: rows('SELECT * FROM item_themes'),
    passages: rows('SELECT id, excluded, excluded_reason, excluded_by, exclusion_review_id FROM passages'),
    ...Object.fromEntries(ROLLUP_TABLES.map((t) => [t, rows(`SELECT * FROM ${t}`)])),
  };
}

/** The statements of migration 0008 that fill data (its DDL has run on every test database already). */
function backfillStatements(): string[] {
  const file = join(import.meta.dirname, '../../db/migrations/0008_provenance_independent_decisions.sql');
  return readFileSync(file, 'utf8')
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter((s) => !/^(ALTER TABLE|DROP INDEX|CREATE INDEX `)/.test(s));
}

/**
 * SQLite only: it replays the data statements of SQLite migration 0008 (db/migrations) on a
 * database whose items were written as the code before it did. PostgreSQL's migrations
 * (db/migrations-pg) start from the schema after it, with nothing to backfill.
 */
describe.skipIf(process.env.FRAMESCOPE_TEST_DIALECT === 'postgres')('migration 0008', () => {
  it('backfills every item exactly as the state functions derive it from its reviews', () => {
    const db = createTestDb();
    seedHistories(db);
    rebuildRollups(db);
    const derived = snapshot(db);
    expect(derived.items.some((r) => r.includes('"review_status":"rejected"'))).toBe(true);
    expect(derived.items.some((r) => r.includes('"final_origin":"bulk"'))).toBe(true);
    // The state as the code before this migration left it: open rejects "reviewed", bulk accepts
    // of origin "reviewer", a disputed item's origin "reviewer", nothing independent, no exclusion review.
    db.$client.exec(`
      UPDATE items SET review_status = 'reviewed' WHERE review_status = 'rejected';
      UPDATE items SET final_origin = 'reviewer' WHERE final_origin = 'bulk' OR review_status = 'disputed';
      UPDATE items SET independent_label = NULL, independent_stance = NULL, independent_review_id = NULL, independent_count = 0;
      DELETE FROM item_themes WHERE kind = 'independent';
      UPDATE passages SET exclusion_review_id = NULL;`);
    // The rollups this migration refills (a table a later migration adds is not its to fill).
    const refilled = new Set(backfillStatements().flatMap((st) => [...st.matchAll(/INSERT INTO (\w+)/g)].map((m) => m[1]!)));
    for (const t of ROLLUP_TABLES.filter((t) => refilled.has(t))) db.$client.exec(`DELETE FROM ${t}`);
    expect(snapshot(db)).not.toEqual(derived);
    db.$client.transaction(() => {
      for (const s of backfillStatements()) db.$client.exec(s);
    })();
    expect(snapshot(db)).toEqual(derived);
  });
});
