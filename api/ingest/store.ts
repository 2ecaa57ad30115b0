import { and, desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { importIssues, imports, reviews, reviewThemes, users, type Import } from '../../db/schema/index.ts';
import { audit } from '../audit.ts';
import { addDocumentsToRollups, clientOf } from '../dashboard/rollups.ts';
import { charCount } from '../items/chars.ts';
import { recomputeReviewState } from '../items/state.ts';
import { linkDuplicate } from './duplicates.ts';
import { sha256 } from './normalize.ts';
import type { PreparedDocument, RowIssue } from './prepare.ts';
import type { CarriedLabel, FileFormat } from './readers.ts';
import { segment } from './segment.ts';
import { statements, type Statements } from './statements.ts';

/** Rejected rows and warnings stored per import at most (the counts are always complete). */
export const IMPORT_ISSUES_KEPT = 1_000;

/** What one file's import has done so far; checkpointed with every batch. */
export interface StoreCounts {
  /** Data rows read (any outcome). */
  rows: number;
  bytes: number;
  documents: number;
  unchanged: number;
  passages: number;
  labels: number;
  attachedLabels: number;
  duplicates: number;
  rejected: number;
  warnings: number;
}

export const emptyCounts = (): StoreCounts => ({ rows: 0, bytes: 0, documents: 0, unchanged: 0, passages: 0, labels: 0, attachedLabels: 0, duplicates: 0, rejected: 0, warnings: 0 });

/** How the import row of a file is described. */
export interface ImportIdentity {
  name: string;
  filename: string;
  format: FileFormat | 'demo';
  origin: 'cli' | 'upload' | 'demo';
  path: string;
  fileSize: number | null;
  fingerprint: string | null;
  optionsHash: string | null;
  actor: string;
  /** The import's labels are gold (independent human decisions). */
  gold: boolean;
  /** The import's labels are held out: gold for evals, never trained on. */
  evaluationOnly?: boolean;
}

function sameLabel(a: { label: string | null; stance: number | null; themes: string[] | null }, b: CarriedLabel): boolean {
  const t = [...(a.themes ?? [])].sort();
  return a.label === b.label && a.stance === b.stance && t.length === b.themes.length && [...b.themes].sort().every((x, i) => x === t[i]);
}

/**
 * Writes one file's documents in batches. Each `commit` is one transaction holding the batch's
 * documents (with passages, items, rollups, duplicate links and carried labels), its issues and
 * the import's checkpoint, so the import row always tells how far the file got. The import row
 * is created with the first batch that stores anything, so a re-import that changes nothing
 * leaves no trace.
 */
export class ImportWriter {
  private pending: PreparedDocument[] = [];
  private pendingIssues: { kind: 'rejected' | 'warning'; issue: RowIssue }[] = [];
  private issuesStored = 0;
  private reviewerId: number | null = null;
  private readonly sourceIds = new Map<string, number>();
  private readonly st: Statements;
  importId: number | null;
  readonly counts: StoreCounts;

  constructor(
    private readonly db: Db,
    private readonly identity: ImportIdentity,
    private readonly codebookId: () => number,
    private readonly now: () => Date,
    resumed: Import | null,
  ) {
    this.st = statements(db.$client);
    this.importId = resumed?.id ?? null;
    this.issuesStored = resumed ? (db.$client.prepare('SELECT count(*) FROM import_issues WHERE import_id = ?').pluck().get(resumed.id) as number) : 0;
    this.counts = resumed
      ? {
          rows: resumed.rowsCommitted,
          bytes: resumed.bytesCommitted,
          documents: resumed.documentsImported,
          unchanged: resumed.documentsUnchanged,
          passages: resumed.passagesImported,
          labels: resumed.labelsImported,
          attachedLabels: resumed.labelsAttached,
          duplicates: resumed.duplicatesLinked,
          rejected: resumed.rowsRejected,
          warnings: resumed.warnings,
        }
      : emptyCounts();
  }

  /** Documents and issues waiting for the next commit. */
  get pendingDocuments(): number {
    return this.pending.length;
  }

  add(doc: PreparedDocument): void {
    this.pending.push(doc);
  }

  issue(kind: 'rejected' | 'warning', issue: RowIssue): void {
    if (kind === 'rejected') this.counts.rejected++;
    else this.counts.warnings++;
    if (this.issuesStored + this.pendingIssues.length < IMPORT_ISSUES_KEPT) this.pendingIssues.push({ kind, issue });
  }

  /**
   * Commits the pending batch and the checkpoint (`rows` read, `bytes` of input) in one
   * transaction. `state` is what the import row says afterwards.
   */
  commit(rows: number, bytes: number, state: 'running' | 'interrupted' | 'complete'): void {
    const batch = this.pending;
    this.pending = [];
    this.db.transaction((tx) => {
      // New documents first, then the whole batch into the rollups at once, then the labels
      // (whose state changes move the rollups from there).
      const labels: { itemId: number; carried: CarriedLabel; stored: boolean }[] = [];
      let first: number | null = null;
      let last: number | null = null;
      for (const d of batch) {
        const r = this.store(tx, d);
        if (r.created) {
          first ??= r.documentId;
          last = r.documentId;
        }
        if (d.carried) labels.push({ itemId: r.itemId, carried: d.carried, stored: !r.created });
      }
      if (first !== null) addDocumentsToRollups(tx, first, last!);
      for (const l of labels) {
        if (this.label(tx, l.itemId, l.carried)) this.counts[l.stored ? 'attachedLabels' : 'labels']++;
      }
      this.counts.rows = rows;
      this.counts.bytes = bytes;
      if (this.importId === null) return;
      if (this.pendingIssues.length > 0) {
        tx.insert(importIssues)
          .values(this.pendingIssues.map(({ kind, issue }) => ({ importId: this.importId!, kind, line: issue.line, column: issue.column, message: issue.reason })))
          .run();
        this.issuesStored += this.pendingIssues.length;
        this.pendingIssues = [];
      }
      const at = this.now().toISOString();
      const c = this.counts;
      tx.update(imports)
        .set({
          state,
          rowsCommitted: c.rows,
          bytesCommitted: c.bytes,
          documentsImported: c.documents,
          documentsUnchanged: c.unchanged,
          passagesImported: c.passages,
          labelsImported: c.labels,
          labelsAttached: c.attachedLabels,
          duplicatesLinked: c.duplicates,
          rowsRejected: c.rejected,
          warnings: c.warnings,
          updatedAt: at,
          ...(state === 'complete' ? { completedAt: at } : {}),
        })
        .where(eq(imports.id, this.importId))
        .run();
      if (state === 'complete') {
        audit(tx, {
          actor: this.identity.actor,
          action: 'import',
          entityType: 'import',
          entityId: this.importId,
          details: { file: this.identity.path, documents: c.documents, unchanged: c.unchanged, passages: c.passages, labels: c.labels, attachedLabels: c.attachedLabels, rejected: c.rejected, duplicates: c.duplicates },
        });
      }
    });
  }

  private ensureImport(tx: Tx): number {
    if (this.importId !== null) return this.importId;
    const i = this.identity;
    this.importId = tx
      .insert(imports)
      .values({ name: i.name, filename: i.filename, format: i.format, origin: i.origin, gold: i.gold || (i.evaluationOnly ?? false), evaluationOnly: i.evaluationOnly ?? false, state: 'running', path: i.path, fileSize: i.fileSize, fingerprint: i.fingerprint, optionsHash: i.optionsHash, updatedAt: this.now().toISOString() })
      .returning({ id: imports.id })
      .get().id;
    return this.importId;
  }

  private sourceId(d: PreparedDocument): number {
    let id = this.sourceIds.get(d.source);
    if (id === undefined) {
      id = (this.st.findSource.get(d.source) as number | undefined) ?? Number(this.st.insertSource.run(d.source, d.country, null).lastInsertRowid);
      this.sourceIds.set(d.source, id);
    }
    return id;
  }

  /** The import's reviewer (`import:<name>`), created when `create` and missing; null when missing and not created. */
  private reviewer(tx: Tx, create: boolean): number | null {
    if (this.reviewerId !== null) return this.reviewerId;
    const userName = `import:${this.identity.name}`;
    const existing = tx.select({ id: users.id }).from(users).where(eq(users.name, userName)).get();
    if (!existing && !create) return null;
    this.reviewerId = existing?.id ?? tx.insert(users).values({ name: userName, role: 'import' }).returning({ id: users.id }).get().id;
    return this.reviewerId;
  }

  /** Stores a carried label as an import review (unless this import name already gave the same one); true when stored. */
  private label(tx: Tx, itemId: number, carried: CarriedLabel): boolean {
    const known = this.reviewer(tx, false);
    if (known !== null) {
      const last = tx
        .select({ label: reviews.label, stance: reviews.stance, themes: reviews.themes })
        .from(reviews)
        .where(and(eq(reviews.itemId, itemId), eq(reviews.reviewerId, known), eq(reviews.kind, 'import')))
        .orderBy(desc(reviews.id))
        .limit(1)
        .get();
      if (last && sameLabel(last, carried)) return false;
    }
    const importId = this.ensureImport(tx);
    const reviewerId = this.reviewer(tx, true)!;
    const review = tx
      .insert(reviews)
      .values({ itemId, reviewerId, action: 'edit', kind: 'import', codebookId: this.codebookId(), label: carried.label, stance: carried.stance, themes: carried.themes, importId })
      .returning({ id: reviews.id })
      .get();
    if (carried.themes.length > 0) tx.insert(reviewThemes).values(carried.themes.map((theme) => ({ reviewId: review.id, theme }))).run();
    recomputeReviewState(tx, itemId, this.now());
    return true;
  }

  /** Stores one document unless its source already holds the same text; returns its document item. */
  private store(tx: Tx, d: PreparedDocument): { created: boolean; documentId: number; itemId: number } {
    const st = this.st;
    const c = this.counts;
    const sourceId = this.sourceId(d);
    const existing = st.findDocument.get(sourceId, d.contentHash) as number | undefined;
    if (existing !== undefined) {
      c.unchanged++;
      return { created: false, documentId: existing, itemId: d.carried ? (st.documentItem.get(existing) as number) : 0 };
    }
    const importId = this.ensureImport(tx);
    const p = d.published;
    const documentId = Number(
      st.insertDocument.run(
        sourceId,
        importId,
        d.title,
        d.author,
        p?.published ?? null,
        p?.precision ?? null,
        p?.start ?? null,
        d.publishedRaw,
        d.url,
        d.language,
        d.notes,
        d.origin,
        d.externalId,
        d.metadata ? JSON.stringify(d.metadata) : null,
        d.text,
        d.contentHash,
      ).lastInsertRowid,
    );
    const itemId = Number(st.insertItem.run('document', documentId, null, sourceId, -1, d.contentHash, 0, Math.random(), charCount(d.text)).lastInsertRowid);
    for (const s of segment(d.text, { sourceName: d.source })) {
      const excluded = s.excluded ? 1 : 0;
      const passageId = Number(st.insertPassage.run(documentId, s.seq, s.start, s.end, s.text, excluded, s.reason, s.excluded ? 'auto' : null, excluded, s.reason).lastInsertRowid);
      st.insertItem.run('passage', documentId, passageId, sourceId, s.seq, sha256(s.text), excluded, Math.random(), charCount(s.text));
      c.passages++;
    }
    const link = linkDuplicate(clientOf(tx), { id: documentId, sourceId, text: d.text, contentHash: d.contentHash });
    if (link) {
      st.setDuplicate.run(link.of, link.similarity, documentId);
      c.duplicates++;
    }
    c.documents++;
    return { created: true, documentId, itemId };
  }
}
