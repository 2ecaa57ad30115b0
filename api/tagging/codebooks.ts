import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { codebooks } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { getActiveCodebook, getCodebook, parseCodebook, saveCodebook, type CodebookDefinition } from '../codebook/codebook.ts';

/** Every stored codebook version (the bundled default is stored on first use). */
export function listCodebooks(db: Db) {
  getActiveCodebook(db);
  return db.select().from(codebooks).orderBy(asc(codebooks.id)).all() as (typeof codebooks.$inferSelect & { definition: CodebookDefinition })[];
}

/** Stores a codebook from its JSON text (refusing a changed version), optionally activating it. */
export function addCodebook(db: Db, text: string, opts: { activate?: boolean; actor?: string } = {}) {
  const def = parseCodebook(text, 'codebook');
  // Store the bundled default first, so it stays listed and can be switched back to.
  getActiveCodebook(db);
  const row = saveCodebook(db, def, { activate: opts.activate });
  audit(db, { actor: opts.actor ?? 'system', action: 'codebook.save', entityType: 'codebook', entityId: row.id, after: { name: row.name, version: row.version, hash: row.hash, active: row.active } });
  return row as typeof row & { definition: CodebookDefinition };
}

/** Makes a stored codebook the active one: new runs, review and the dashboard follow it. */
export function activateCodebook(db: Db, id: number, actor = 'system') {
  const row = getCodebook(db, id);
  const activated = saveCodebook(db, row.definition, { activate: true });
  audit(db, { actor, action: 'codebook.activate', entityType: 'codebook', entityId: id });
  return db.select().from(codebooks).where(eq(codebooks.id, activated.id)).get()! as typeof activated & { definition: CodebookDefinition };
}
