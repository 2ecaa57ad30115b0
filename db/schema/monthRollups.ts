import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { BASES } from './vocabulary.ts';

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
export const sourceRollupsMonths = sqliteTable(
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
    stanceSum: integer('stance_sum').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.period, t.sourceId, t.label] }),
    index('source_rollups_months_sums_idx').on(t.level, t.basis, t.granularity, t.period, t.sourceId, t.label, t.n, t.stanceN, t.stanceSum)],
);

/** source_status_rollups by month and year. */
export const sourceStatusRollupsMonths = sqliteTable(
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
  (t) => [primaryKey({ columns: [t.level, t.granularity, t.period, t.sourceId, t.reviewStatus] })],
);

/** source_theme_totals by month and year; its sums index as source_rollups_months'. */
export const sourceThemeTotalsMonths = sqliteTable(
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
    index('source_theme_totals_months_sums_idx').on(t.level, t.basis, t.granularity, t.period, t.sourceId, t.theme, t.n)],
);

/** label_theme_rollups by month and year. */
export const labelThemeRollupsMonths = sqliteTable(
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
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.period, t.label, t.theme] })],
);

/** agreement_rollups by month and year. */
export const agreementRollupsMonths = sqliteTable(
  'agreement_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    suggested: text('suggested').notNull(),
    reviewed: text('reviewed').notNull(),
    granularity: granularity(),
    period: period(),
    n: integer('n').notNull(),
    absDiff: integer('abs_diff').notNull(),
    stancePairs: integer('stance_pairs').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.granularity, t.period, t.sourceId, t.suggested, t.reviewed] })],
);

/** corrected_rollups by month and year. */
export const correctedRollupsMonths = sqliteTable(
  'corrected_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    suggested: text('suggested').notNull(),
    reviewed: text('reviewed').notNull(),
    granularity: granularity(),
    period: period(),
    n: integer('n').notNull(),
    sm: integer('sm').notNull(),
    smm: integer('smm').notNull(),
    sns: integer('sns').notNull(),
    sd: integer('sd').notNull(),
    sdd: integer('sdd').notNull(),
    smd: integer('smd').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.granularity, t.period, t.sourceId, t.suggested, t.reviewed] })],
);

/**
 * source_stance_rollups by month and year: a document lies in one month, so its source's sums over
 * documents (Σn, Σs, Σs², Σs·n, Σn²) add up over months like any count.
 */
export const sourceStanceRollupsMonths = sqliteTable(
  'source_stance_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    granularity: granularity(),
    period: period(),
    documents: integer('documents').notNull(),
    n: integer('n').notNull(),
    s: integer('s').notNull(),
    ss: integer('ss').notNull(),
    sn: integer('sn').notNull(),
    nn: integer('nn').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.granularity, t.period, t.sourceId] })],
);
