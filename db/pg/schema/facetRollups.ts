import { bigint, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { BASES } from '../../schema/vocabulary.ts';
import { enumChecks } from '../columns.ts';

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
export const sourceRollupsFacets = pgTable(
  'source_rollups_facets',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    ...facets(),
    n: integer('n').notNull(),
    stanceN: integer('stance_n').notNull(),
    stanceSum: bigint('stance_sum', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId, t.label, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] }), ...enumChecks('source_rollups_facets', t)],
);

/** source_status_rollups by provenance (the status is already one of its keys). */
export const sourceStatusRollupsFacets = pgTable(
  'source_status_rollups_facets',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    ...facets(),
    n: integer('n').notNull(),
    suggested: integer('suggested').notNull(),
    randomSample: integer('random_sample').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] }), ...enumChecks('source_status_rollups_facets', t)],
);

/** source_theme_totals by facet. */
export const sourceThemeTotalsFacets = pgTable(
  'source_theme_totals_facets',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    theme: text('theme').notNull(),
    ...facets(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId, t.theme, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] }), ...enumChecks('source_theme_totals_facets', t)],
);

/** label_theme_rollups by facet. */
export const labelThemeRollupsFacets = pgTable(
  'label_theme_rollups_facets',
  {
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    theme: text('theme').notNull(),
    ...facets(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.label, t.theme, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] }), ...enumChecks('label_theme_rollups_facets', t)],
);

/** agreement_rollups by facet. */
export const agreementRollupsFacets = pgTable(
  'agreement_rollups_facets',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    suggested: text('suggested').notNull(),
    reviewed: text('reviewed').notNull(),
    ...facets(),
    n: integer('n').notNull(),
    absDiff: bigint('abs_diff', { mode: 'number' }).notNull(),
    stancePairs: bigint('stance_pairs', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.suggested, t.reviewed, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] }), ...enumChecks('agreement_rollups_facets', t)],
);

/** corrected_rollups by facet. */
export const correctedRollupsFacets = pgTable(
  'corrected_rollups_facets',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    suggested: text('suggested').notNull(),
    reviewed: text('reviewed').notNull(),
    ...facets(),
    n: integer('n').notNull(),
    sm: bigint('sm', { mode: 'number' }).notNull(),
    smm: bigint('smm', { mode: 'number' }).notNull(),
    sns: bigint('sns', { mode: 'number' }).notNull(),
    sd: bigint('sd', { mode: 'number' }).notNull(),
    sdd: bigint('sdd', { mode: 'number' }).notNull(),
    smd: bigint('smd', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.suggested, t.reviewed, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] }), ...enumChecks('corrected_rollups_facets', t)],
);

/**
 * timeline_rollups by facet: the timeline under a status or provenance filter. Keyed by source
 * before period, as the timeline reads a few chosen (or the largest) sources' rows.
 */
export const timelineRollupsFacets = pgTable(
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
    stanceSum: bigint('stance_sum', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.sourceId, t.period, t.label, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId] }), ...enumChecks('timeline_rollups_facets', t)],
);

/**
 * document_rollups by facet: each document's stance sum and count over only its items of a status
 * and provenance, so the stance view's per-document units (and the sums of their squares) under
 * those filters are sums of a few rows per document. Keyed by the facets before the document, so
 * a filter reads only its own rows.
 */
export const documentRollupsFacets = pgTable(
  'document_rollups_facets',
  {
    documentId: integer('document_id').notNull(),
    level: level(),
    basis: basis(),
    sourceId: integer('source_id').notNull(),
    ...facets(),
    n: integer('n').notNull(),
    stanceSum: bigint('stance_sum', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId, t.sourceId, t.documentId] }), ...enumChecks('document_rollups_facets', t)],
);

/**
 * document_label_rollups by facet: each document's counted items per label over only its items
 * of a status and provenance, so the comparison's per-document units under those filters are
 * sums of a few rows per document. Keyed by the facets before the document, as
 * document_rollups_facets.
 */
export const documentLabelRollupsFacets = pgTable(
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
  (t) => [primaryKey({ columns: [t.level, t.basis, t.reviewStatus, t.provider, t.model, t.promptVersion, t.codebookId, t.sourceId, t.documentId, t.label] }), ...enumChecks('document_label_rollups_facets', t)],
);
