import { bigint, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { BASES } from '../../schema/vocabulary.ts';
import { enumChecks } from '../columns.ts';

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
export const documentLabelRollups = pgTable(
  'document_label_rollups',
  {
    documentId: integer('document_id').notNull(),
    level: level(),
    basis: basis(),
    sourceId: integer('source_id').notNull(),
    label: text('label').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.documentId, t.sourceId, t.label] }), index('document_label_rollups_source_idx').on(t.level, t.basis, t.sourceId, t.documentId), ...enumChecks('document_label_rollups', t)],
);

/** Per source and label: documents with the label, Σc, Σc², Σc·n. */
export const compareLabelRollups = pgTable(
  'compare_label_rollups',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    documents: integer('documents').notNull(),
    c: integer('c').notNull(),
    cc: bigint('cc', { mode: 'number' }).notNull(),
    cn: bigint('cn', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId, t.label] }), ...enumChecks('compare_label_rollups', t)],
);

/** compare_label_rollups by month and year of the documents' publication. */
export const compareLabelRollupsMonths = pgTable(
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
    cc: bigint('cc', { mode: 'number' }).notNull(),
    cn: bigint('cn', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.period, t.sourceId, t.label] }), ...enumChecks('compare_label_rollups_months', t)],
);

/** Per source: documents with a label or a stance, documents with a label, Σn, Σn². */
export const compareSourceRollups = pgTable(
  'compare_source_rollups',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    documents: integer('documents').notNull(),
    countedDocuments: integer('counted_documents').notNull(),
    n: integer('n').notNull(),
    nn: bigint('nn', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId] }), ...enumChecks('compare_source_rollups', t)],
);

/** compare_source_rollups by month and year of the documents' publication. */
export const compareSourceRollupsMonths = pgTable(
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
    nn: bigint('nn', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.period, t.sourceId] }), ...enumChecks('compare_source_rollups_months', t)],
);
