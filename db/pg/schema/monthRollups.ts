import { bigint, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { BASES } from '../../schema/vocabulary.ts';
import { enumChecks } from '../columns.ts';

/**
 * Month rollups: for each dashboard rollup a date range can narrow, the same keys plus the
 * publication month of the items' documents (`month`: YYYY-MM of published_start, '' when
 * undated), holding running sums along the months of each key: a row is the key's total over
 * every month up to and including its own. A range [a, b] of whole months is then the row at
 * or before b minus the row before a: two index seeks per key whatever the range's length,
 * where summing months would read a row per key and month (about one per document at 500
 * sources). A row exists only for a month in which the key has items, as a rebuild from the
 * monthly sums gives (api/dashboard/rollups.ts keeps them by delta, api/dashboard/months.ts reads them).
 */

const level = () => text('level', { enum: ['passage', 'document'] }).notNull();
const basis = () => text('basis', { enum: BASES }).notNull();
const month = () => text('month').notNull();

/** source_rollups by month. */
export const sourceRollupsMonths = pgTable(
  'source_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    month: month(),
    n: integer('n').notNull(),
    stanceN: integer('stance_n').notNull(),
    stanceSum: bigint('stance_sum', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId, t.label, t.month] }), ...enumChecks('source_rollups_months', t)],
);

/** source_status_rollups by month. */
export const sourceStatusRollupsMonths = pgTable(
  'source_status_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    reviewStatus: text('review_status').notNull(),
    month: month(),
    n: integer('n').notNull(),
    suggested: integer('suggested').notNull(),
    randomSample: integer('random_sample').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.reviewStatus, t.month] }), ...enumChecks('source_status_rollups_months', t)],
);

/** source_theme_totals by month. */
export const sourceThemeTotalsMonths = pgTable(
  'source_theme_totals_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    theme: text('theme').notNull(),
    month: month(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId, t.theme, t.month] }), ...enumChecks('source_theme_totals_months', t)],
);

/** label_theme_rollups by month. */
export const labelThemeRollupsMonths = pgTable(
  'label_theme_rollups_months',
  {
    level: level(),
    basis: basis(),
    label: text('label').notNull(),
    theme: text('theme').notNull(),
    month: month(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.label, t.theme, t.month] }), ...enumChecks('label_theme_rollups_months', t)],
);

/** agreement_rollups by month. */
export const agreementRollupsMonths = pgTable(
  'agreement_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    suggested: text('suggested').notNull(),
    reviewed: text('reviewed').notNull(),
    month: month(),
    n: integer('n').notNull(),
    absDiff: bigint('abs_diff', { mode: 'number' }).notNull(),
    stancePairs: bigint('stance_pairs', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.suggested, t.reviewed, t.month] }), ...enumChecks('agreement_rollups_months', t)],
);

/** corrected_rollups by month. */
export const correctedRollupsMonths = pgTable(
  'corrected_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    suggested: text('suggested').notNull(),
    reviewed: text('reviewed').notNull(),
    month: month(),
    n: integer('n').notNull(),
    sm: bigint('sm', { mode: 'number' }).notNull(),
    smm: bigint('smm', { mode: 'number' }).notNull(),
    sns: bigint('sns', { mode: 'number' }).notNull(),
    sd: bigint('sd', { mode: 'number' }).notNull(),
    sdd: bigint('sdd', { mode: 'number' }).notNull(),
    smd: bigint('smd', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.sourceId, t.suggested, t.reviewed, t.month] }), ...enumChecks('corrected_rollups_months', t)],
);

/**
 * source_stance_rollups by month: a document lies in one month, so its source's sums over
 * documents (Σn, Σs, Σs², Σs·n, Σn²) add up over months like any count.
 */
export const sourceStanceRollupsMonths = pgTable(
  'source_stance_rollups_months',
  {
    sourceId: integer('source_id').notNull(),
    level: level(),
    basis: basis(),
    month: month(),
    documents: integer('documents').notNull(),
    n: integer('n').notNull(),
    s: bigint('s', { mode: 'number' }).notNull(),
    ss: bigint('ss', { mode: 'number' }).notNull(),
    sn: bigint('sn', { mode: 'number' }).notNull(),
    nn: bigint('nn', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.level, t.basis, t.sourceId, t.month] }), ...enumChecks('source_stance_rollups_months', t)],
);
