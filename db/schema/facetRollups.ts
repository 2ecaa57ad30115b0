import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { BASES } from './vocabulary.ts';

/**
 * Facet rollups: for each dashboard rollup a review-status or provenance filter can narrow, the
 * same keys plus the items' review status and their latest suggestion's provider, model,
 * prompt version and codebook ('' and 0 for items without a suggestion), so a view filtered by
 * any of them sums a few rows per key instead of scanning items (api/dashboard/rollups.ts keeps
 * them by delta, api/dashboard/facets.ts reads them).
 */

const level = () => text('level', { enum: ['passage', 'document'] }).notNull();
const basis = () => text('basis', { enum: BASES }).notNull();
const facets = () => ({
  reviewStatus: text('review_status').notNull(),
  provider: text('provider').notNull(),
  model: text('model').notNull(),
  promptVersion: text('prompt_version').notNull(),
  codebookId: integer('codebook_id').notNull(),
});

/** source_rollups by facet. */
export const sourceRollupsFacets = sqliteTable(
  'source_rollups_facets',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    ...facets(),
    n: integer('n').notNull(),
    stanceN: integer('stance_n').notNull(),
    stanceSum: integer('stance_sum').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId, t.label, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] })],
);

/** source_status_rollups by provenance (the status is already one of its keys). */
export const sourceStatusRollupsFacets = sqliteTable(
  'source_status_rollups_facets',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    ...facets(),
    n: integer('n').notNull(),
    suggested: integer('suggested').notNull(),
    randomSample: integer('random_sample').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] })],
);

/** source_theme_totals by facet. */
export const sourceThemeTotalsFacets = sqliteTable(
  'source_theme_totals_facets',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    theme: text('theme').notNull(),
    ...facets(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId, t.theme, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] })],
);

/** label_theme_rollups by facet. */
export const labelThemeRollupsFacets = sqliteTable(
  'label_theme_rollups_facets',
  {
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    theme: text('theme').notNull(),
    ...facets(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.label, t.theme, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] })],
);

/** agreement_rollups by facet. */
export const agreementRollupsFacets = sqliteTable(
  'agreement_rollups_facets',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    suggested: text('suggested').notNull(),
    reviewed: text('reviewed').notNull(),
    ...facets(),
    n: integer('n').notNull(),
    absDiff: integer('abs_diff').notNull(),
    stancePairs: integer('stance_pairs').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.suggested, t.reviewed, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] })],
);

/** corrected_rollups by facet. */
export const correctedRollupsFacets = sqliteTable(
  'corrected_rollups_facets',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    suggested: text('suggested').notNull(),
    reviewed: text('reviewed').notNull(),
    ...facets(),
    n: integer('n').notNull(),
    sm: integer('sm').notNull(),
    smm: integer('smm').notNull(),
    sns: integer('sns').notNull(),
    sd: integer('sd').notNull(),
    sdd: integer('sdd').notNull(),
    smd: integer('smd').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.suggested, t.reviewed, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] })],
);

/**
 * timeline_rollups by facet: the timeline under a status or provenance filter. Keyed by source
 * before period, as the timeline reads a few chosen (or the largest) sources' rows.
 */
export const timelineRollupsFacets = sqliteTable(
  'timeline_rollups_facets',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    granularity: text('granularity', { enum: ['month', 'year'] }).notNull(),
    period: text('period').notNull(),
    label: text('label').notNull(),
    ...facets(),
    n: integer('n').notNull(),
    stanceN: integer('stance_n').notNull(),
    stanceSum: integer('stance_sum').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.sourceId, t.period, t.label, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] })],
);

/**
 * document_rollups by facet: each document's stance sum and count over only its items of a status
 * and provenance, so the stance view's per-document units (and the sums of their squares) under
 * those filters are sums of a few rows per document. Keyed by the facets before the document, so
 * a filter reads only its own rows.
 */
export const documentRollupsFacets = sqliteTable(
  'document_rollups_facets',
  {
    documentId: integer('document_id').notNull(),
    level: level(),
    basis: basis(),
    sourceId: integer('source_id').notNull(),
    ...facets(),
    n: integer('n').notNull(),
    stanceSum: integer('stance_sum').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId, t.sourceId, t.documentId] })],
);

/**
 * document_label_rollups by facet: each document's counted items per label over only its items
 * of a status and provenance, so the comparison's per-document units under those filters are
 * sums of a few rows per document. Keyed by the facets before the document, as
 * document_rollups_facets.
 */
export const documentLabelRollupsFacets = sqliteTable(
  'document_label_rollups_facets',
  {
    documentId: integer('document_id').notNull(),
    level: level(),
    basis: basis(),
    sourceId: integer('source_id').notNull(),
    label: text('label').notNull(),
    ...facets(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId, t.sourceId, t.documentId, t.label] })],
);
