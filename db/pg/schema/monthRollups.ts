import { bigint, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { BASES } from '../../schema/vocabulary.ts';
import { enumChecks } from '../columns.ts';

/**
 * Month rollups: for each dashboard rollup a date range can narrow, the same keys plus a period
 * of the publication date of the items' documents: `granularity` 'month' with `period` YYYY-MM,
 * and 'year' with `period` YYYY, each row holding that period's own sums (undated documents are
 * in no row: no date range holds them). A range of whole months is then at most three
 * contiguous runs of the primary key, which leads with the period: the months of its first
 * year, the whole years between, the months of its last year, so a read touches at most 22
 * month rows and one row per whole year for each key, and a change to an item moves one month
 * row and one year row per key (api/dashboard/rollups.ts keeps them by delta in the same
 * transaction, api/dashboard/months.ts reads them).
 */

const level = () => text('level', { enum: ['passage', 'document'] }).notNull();
const basis = () => text('basis', { enum: BASES }).notNull();
const granularity = () => text('granularity', { enum: ['month', 'year'] }).notNull();
const period = () => text('period').notNull();

/**
 * source_rollups by month and year. Its sums index repeats the primary key with the values, so a
 * date range's read (tens of thousands of month and year rows) is answered from the index alone,
 * without a table lookup per row.
 */
export const sourceRollupsMonths = pgTable(
  'source_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    granularity: granularity(),
    period: period(),
    n: integer('n').notNull(),
    stanceN: integer('stance_n').notNull(),
    stanceSum: bigint('stance_sum', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.period, t.sourceId, t.label] }),
    index('source_rollups_months_sums_idx').on(t.level, t.basis, t.granularity, t.period, t.sourceId, t.label, t.n, t.stanceN, t.stanceSum), ...enumChecks('source_rollups_months', t)],
);

/** source_status_rollups by month and year. */
export const sourceStatusRollupsMonths = pgTable(
  'source_status_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    reviewStatus: text('review_status').notNull(),
    granularity: granularity(),
    period: period(),
    n: integer('n').notNull(),
    suggested: integer('suggested').notNull(),
    randomSample: integer('random_sample').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.granularity, t.period, t.sourceId, t.reviewStatus] }), ...enumChecks('source_status_rollups_months', t)],
);

/** source_theme_totals by month and year; its sums index as source_rollups_months'. */
export const sourceThemeTotalsMonths = pgTable(
  'source_theme_totals_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    theme: text('theme').notNull(),
    granularity: granularity(),
    period: period(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.period, t.sourceId, t.theme] }),
    index('source_theme_totals_months_sums_idx').on(t.level, t.basis, t.granularity, t.period, t.sourceId, t.theme, t.n), ...enumChecks('source_theme_totals_months', t)],
);

/** label_theme_rollups by month and year. */
export const labelThemeRollupsMonths = pgTable(
  'label_theme_rollups_months',
  {
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    theme: text('theme').notNull(),
    granularity: granularity(),
    period: period(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.period, t.label, t.theme] }), ...enumChecks('label_theme_rollups_months', t)],
);

/** agreement_rollups by month and year. */
export const agreementRollupsMonths = pgTable(
  'agreement_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    suggested: text('suggested').notNull(),
    reviewed: text('reviewed').notNull(),
    granularity: granularity(),
    period: period(),
    n: integer('n').notNull(),
    absDiff: bigint('abs_diff', { mode: 'number' }).notNull(),
    stancePairs: bigint('stance_pairs', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.granularity, t.period, t.sourceId, t.suggested, t.reviewed] }), ...enumChecks('agreement_rollups_months', t)],
);

/** corrected_rollups by month and year. */
export const correctedRollupsMonths = pgTable(
  'corrected_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    suggested: text('suggested').notNull(),
    reviewed: text('reviewed').notNull(),
    granularity: granularity(),
    period: period(),
    n: integer('n').notNull(),
    sm: bigint('sm', { mode: 'number' }).notNull(),
    smm: bigint('smm', { mode: 'number' }).notNull(),
    sns: bigint('sns', { mode: 'number' }).notNull(),
    sd: bigint('sd', { mode: 'number' }).notNull(),
    sdd: bigint('sdd', { mode: 'number' }).notNull(),
    smd: bigint('smd', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.granularity, t.period, t.sourceId, t.suggested, t.reviewed] }), ...enumChecks('corrected_rollups_months', t)],
);

/**
 * source_stance_rollups by month and year: a document lies in one month, so its source's sums over
 * documents (Σn, Σs, Σs², Σs·n, Σn²) add up over months like any count.
 */
export const sourceStanceRollupsMonths = pgTable(
  'source_stance_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    granularity: granularity(),
    period: period(),
    documents: integer('documents').notNull(),
    n: integer('n').notNull(),
    s: bigint('s', { mode: 'number' }).notNull(),
    ss: bigint('ss', { mode: 'number' }).notNull(),
    sn: bigint('sn', { mode: 'number' }).notNull(),
    nn: bigint('nn', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.period, t.sourceId] }), ...enumChecks('source_stance_rollups_months', t)],
);
