import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../db/client.ts';
import { perConnection } from '../../db/prepared.ts';
import { codebooks, type Codebook } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { badRequest, notFound } from '../errors.ts';
import { codebookHash, CodebookDefinitionSchema, DEFAULT_CODEBOOK_FILE, loadCodebookFile, type CodebookDefinition } from './definition.ts';

/** A stored codebook version as the API shows it. */
export const StoredCodebookSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    version: z.string(),
    /** sha256 of the canonical definition. */
    hash: z.string(),
    active: z.boolean(),
    createdAt: z.string(),
    definition: CodebookDefinitionSchema,
  })
  .meta({ id: 'Codebook' });
export type StoredCodebook = z.infer<typeof StoredCodebookSchema>;

/** Every stored codebook version. */
export const CodebookListSchema = z.object({ codebooks: z.array(StoredCodebookSchema) }).meta({ id: 'CodebookList' });

/** The definition column holds a parsed codebook: it was validated when stored, and is immutable. */
const stored = (row: Codebook): StoredCodebook => ({ ...row, definition: row.definition as CodebookDefinition });

/**
 * Stores a codebook version, or returns the stored one. A version is immutable: the same
 * name and version with different content is refused (a change must be a new version).
 */
export function saveCodebook(db: Db, def: CodebookDefinition, opts: { activate?: boolean } = {}): StoredCodebook {
  const hash = codebookHash(def);
  return db.transaction((tx) => {
    const existing = tx.select().from(codebooks).where(and(eq(codebooks.name, def.name), eq(codebooks.version, def.version))).get();
    if (existing && existing.hash !== hash) {
      throw badRequest(`codebook ${def.name} v${def.version} already exists with different content; give the change a new version`, 'codebook_version_exists');
    }
    let row = existing ?? tx.insert(codebooks).values({ name: def.name, version: def.version, hash, definition: def }).returning().get();
    if (opts.activate) {
      tx.update(codebooks).set({ active: false }).run();
      row = tx.update(codebooks).set({ active: true }).where(eq(codebooks.id, row.id)).returning().get();
    }
    return stored(row);
  });
}

/**
 * Stores and activates the bundled default codebook when no codebook is active: run once when
 * a database is opened (api/db.ts), so reads never write.
 */
export function seedBundledCodebook(db: Db): void {
  if (!db.select({ id: codebooks.id }).from(codebooks).where(eq(codebooks.active, true)).get()) {
    saveCodebook(db, loadCodebookFile(DEFAULT_CODEBOOK_FILE), { activate: true });
  }
}

/**
 * The active codebook's queries and the last one read on this connection. Every review request
 * reads the active codebook, and decoding its definition (JSON) cost more than the rest of the
 * lookup, so only its id and hash are read each time: a stored version never changes (its hash
 * is of its definition), so the same id and hash are the same codebook.
 */
const activeCodebook = perConnection((db) => ({
  key: db.select({ id: codebooks.id, hash: codebooks.hash }).from(codebooks).where(eq(codebooks.active, true)).prepare(),
  row: db.select().from(codebooks).where(eq(codebooks.active, true)).prepare(),
  last: null as StoredCodebook | null,
}));

/** The active codebook: new runs, review and the dashboard follow it. */
export function getActiveCodebook(db: DbOrTx): StoredCodebook {
  const active = activeCodebook(db);
  const key = active.key.get();
  // Every database is seeded when opened; a missing codebook means it was opened around openAppDb.
  if (!key) throw new Error('no active codebook: open the database with openAppDb, which seeds the bundled one');
  if (active.last?.id === key.id && active.last.hash === key.hash) return active.last;
  active.last = stored(active.row.get()!);
  return active.last;
}

/** One stored codebook version. */
export function getCodebook(db: Db, id: number): StoredCodebook {
  const row = db.select().from(codebooks).where(eq(codebooks.id, id)).get();
  if (!row) throw notFound(`codebook ${id} not found`);
  return stored(row);
}

/** Every stored codebook version, oldest first. */
export function listCodebooks(db: Db): StoredCodebook[] {
  return db.select().from(codebooks).orderBy(asc(codebooks.id)).all().map(stored);
}

/** Stores a validated codebook (refusing a changed version), optionally activating it, audited. */
export function addCodebook(db: Db, def: CodebookDefinition, opts: { activate?: boolean; actor?: string } = {}): StoredCodebook {
  const row = saveCodebook(db, def, { activate: opts.activate });
  audit(db, { actor: opts.actor ?? 'system', action: 'codebook.save', entityType: 'codebook', entityId: row.id, after: { name: row.name, version: row.version, hash: row.hash, active: row.active } });
  return row;
}

/** Makes a stored codebook the active one. */
export function activateCodebook(db: Db, id: number, actor = 'system'): StoredCodebook {
  const activated = saveCodebook(db, getCodebook(db, id).definition, { activate: true });
  audit(db, { actor, action: 'codebook.activate', entityType: 'codebook', entityId: id });
  return activated;
}
