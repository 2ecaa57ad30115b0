import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { BASES } from './vocabulary.ts';

/**
 * The two-group comparison's rollups (api/dashboard/compareRollups.ts keeps them by delta): per
 * document its items by label, and per source the sums over its documents that the
 * document-clustered interval of a share needs, so a comparison of two groups of sources reads a
 * few rows per source instead of every item. c = a document's items with the label, n = its
 * counted items (items with any label under the basis).
 */

const level = () => text('level', { enum: ['passage', 'document'] }).notNull();
const basis = () => text('basis', { enum: BASES }).notNull();
const granularity = () => text('granularity', { enum: ['month', 'year'] }).notNull();
const period = () => text('period').notNull();

/** Per document: items per label ('' = items with a stance and no label under the basis). */
export const documentLabelRollups = sqliteTable(
  'document_label_rollups',
  {
    documentId: integer('document_id').notNull(),
    level: level(),
    basis: basis(),
    sourceId: integer('source_id').notNull(),
    label: text('label').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.documentId, t.sourceId, t.label] }), index('document_label_rollups_source_idx').on(t.level, t.basis, t.sourceId, t.documentId)],
);

/** Per source and label: documents with the label, Σc, Σc², Σc·n. */
export const compareLabelRollups = sqliteTable(
  'compare_label_rollups',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    documents: integer('documents').notNull(),
    c: integer('c').notNull(),
    cc: integer('cc').notNull(),
    cn: integer('cn').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId, t.label] })],
);

/** compare_label_rollups by month and year of the documents' publication. */
export const compareLabelRollupsMonths = sqliteTable(
  'compare_label_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    granularity: granularity(),
    period: period(),
    documents: integer('documents').notNull(),
    c: integer('c').notNull(),
    cc: integer('cc').notNull(),
    cn: integer('cn').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.period, t.sourceId, t.label] })],
);

/** Per source: documents with a label or a stance, documents with a label, Σn, Σn². */
export const compareSourceRollups = sqliteTable(
  'compare_source_rollups',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    documents: integer('documents').notNull(),
    countedDocuments: integer('counted_documents').notNull(),
    n: integer('n').notNull(),
    nn: integer('nn').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId] })],
);

/** compare_source_rollups by month and year of the documents' publication. */
export const compareSourceRollupsMonths = sqliteTable(
  'compare_source_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    granularity: granularity(),
    period: period(),
    documents: integer('documents').notNull(),
    countedDocuments: integer('counted_documents').notNull(),
    n: integer('n').notNull(),
    nn: integer('nn').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.period, t.sourceId] })],
);
