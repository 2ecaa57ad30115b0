import { bigint, index, integer, primaryKey, pgTable, text } from 'drizzle-orm/pg-core';
import { enumChecks } from '../columns.ts';
import { BASES } from '../../schema/vocabulary.ts';

/**
 * Dashboard rollups: per-source (and per-document) aggregates of `items`, kept up to date by
 * delta in the same transaction as every item-state change (api/dashboard/rollups.ts), so the
 * unfiltered dashboard reads a few hundred rows instead of scanning a million items. Excluded
 * items are never counted. `basis` is one of api/items/provenance.ts's bases (model, people,
 * people-bulk, final); an empty string stands for "no
 * label" / "no period" / "not in the random sample" so every key column is NOT NULL.
 */

const level = () => text('level', { enum: ['passage', 'document'] }).notNull();
const basis = () => text('basis', { enum: BASES }).notNull();

/** Items per source, level, basis and label ('' = no label under the basis), with stance sums. */
export const sourceRollups = pgTable(
  'source_rollups',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    n: integer('n').notNull(),
    stanceN: integer('stance_n').notNull(),
    stanceSum: bigint('stance_sum', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId, t.label] }), ...enumChecks('source_rollups', t)]
);

/** Items per source, level and review status: totals, suggested, random-sample decisions. */
export const sourceStatusRollups = pgTable(
  'source_status_rollups',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    reviewStatus: text('review_status').notNull(),
    n: integer('n').notNull(),
    suggested: integer('suggested').notNull(),
    randomSample: integer('random_sample').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.reviewStatus] }), ...enumChecks('source_status_rollups', t)]
);

/** Labelled items per source, basis, label and theme (themes of the basis's kind). */
export const sourceThemeRollups = pgTable(
  'source_theme_rollups',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    theme: text('theme').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId, t.label, t.theme] }), ...enumChecks('source_theme_rollups', t)]
);

/** Labelled items per source and theme, all labels together: the heatmap and the similarity profiles, read in key order. */
export const sourceThemeTotals = pgTable(
  'source_theme_totals',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    theme: text('theme').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId, t.theme] }), ...enumChecks('source_theme_totals', t)]
);

/** Labelled items per label and theme over all sources: the label × theme view. */
export const labelThemeRollups = pgTable(
  'label_theme_rollups',
  {
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    theme: text('theme').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.label, t.theme] }), ...enumChecks('label_theme_rollups', t)]
);

/** Per document: items with a stance under the basis and their stance sum (the bootstrap's units). */
export const documentRollups = pgTable(
  'document_rollups',
  {
    documentId: integer('document_id').notNull(),
    level: level(),
    basis: basis(),
    sourceId: integer('source_id').notNull(),
    n: integer('n').notNull(),
    stanceSum: bigint('stance_sum', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.documentId, t.sourceId] }), index('document_rollups_source_idx').on(t.level, t.basis, t.sourceId, t.documentId), ...enumChecks('document_rollups', t)]
);

/**
 * Per source, the sums over its documents (s = stance sum, n = items with a stance) that the
 * cluster-robust interval needs: documents, Σn, Σs, Σs², Σs·n, Σn².
 */
export const sourceStanceRollups = pgTable(
  'source_stance_rollups',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    documents: integer('documents').notNull(),
    n: integer('n').notNull(),
    s: bigint('s', { mode: 'number' }).notNull(),
    ss: bigint('ss', { mode: 'number' }).notNull(),
    sn: bigint('sn', { mode: 'number' }).notNull(),
    nn: bigint('nn', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId] }), ...enumChecks('source_stance_rollups', t)]
);

/** Labelled items per source, period ('' = too coarsely dated) and label, at month and year granularity. */
export const timelineRollups = pgTable(
  'timeline_rollups',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    granularity: text('granularity', { enum: ['month', 'year'] }).notNull(),
    period: text('period').notNull(),
    label: text('label').notNull(),
    n: integer('n').notNull(),
    stanceN: integer('stance_n').notNull(),
    stanceSum: bigint('stance_sum', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.level, t.basis, t.granularity, t.period, t.sourceId, t.label] }),
    // The timeline of a few chosen (or the largest) sources reads their rows only.
    index('timeline_rollups_source_idx').on(t.level, t.basis, t.granularity, t.sourceId),
    ...enumChecks('timeline_rollups', t),
  ],
);

/** Items with both a suggested label and an independent human label: the confusion matrix per source. */
export const agreementRollups = pgTable(
  'agreement_rollups',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    suggested: text('suggested').notNull(),
    reviewed: text('reviewed').notNull(),
    n: integer('n').notNull(),
    absDiff: bigint('abs_diff', { mode: 'number' }).notNull(),
    stancePairs: bigint('stance_pairs', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.suggested, t.reviewed] }), ...enumChecks('agreement_rollups', t)]
);

/**
 * Suggested items per source, model label and independent human label on the random sample ('' = not in
 * the sample), with the stance sums the corrected estimate needs.
 */
export const correctedRollups = pgTable(
  'corrected_rollups',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    suggested: text('suggested').notNull(),
    reviewed: text('reviewed').notNull(),
    n: integer('n').notNull(),
    sm: bigint('sm', { mode: 'number' }).notNull(),
    smm: bigint('smm', { mode: 'number' }).notNull(),
    sns: bigint('sns', { mode: 'number' }).notNull(),
    sd: bigint('sd', { mode: 'number' }).notNull(),
    sdd: bigint('sdd', { mode: 'number' }).notNull(),
    smd: bigint('smd', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.suggested, t.reviewed] }), ...enumChecks('corrected_rollups', t)]
);

/** Distinct provenance of stored suggestions, for the filter bar. */
export const suggestionProvenance = pgTable(
  'suggestion_provenance',
  {
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    promptVersion: text('prompt_version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.model, t.promptVersion] })],
);
