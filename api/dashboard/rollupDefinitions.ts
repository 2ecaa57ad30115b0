import { BASES, basisSql, correctionSample, INDEPENDENT_REVIEW_JOIN, IN_RANDOM_SAMPLE, modelPeoplePairs, sqlText as text, type Basis } from '../items/provenance.ts';
import { countWhereText, flagText, monthOfText } from '../../db/sqlDialect.ts';
import { periodSql, type Granularity } from './filters.ts';

/**
 * The dashboard rollups' definitions (db/schema/dashboardRollups.ts, monthRollups.ts,
 * facetRollups.ts): each rollup is a GROUP BY over `items` written with the same SQL expressions
 * the scan path uses (filters.ts), restricted by a WHERE clause, so the same definition rebuilds a
 * table over all items and gives one item's contribution for a delta (api/dashboard/rollups.ts).
 */

/** A basis's label, stance and theme kind as text. */
function basisText(basis: Basis): { label: string; stance: string; themeKind: string } {
  const b = basisSql(basis);
  return { label: text(b.label), stance: text(b.stance), themeKind: text(b.themeKind) };
}

const GRANULARITIES: Granularity[] = ['month', 'year'];

/** One GROUP BY over items: key expressions, value expressions, and which key positions it groups by (a constant key is not grouped). */
export interface Select {
  keys: string[];
  values: string[];
  from: string;
  where: string;
  group: number[];
}

export interface Rollup {
  table: string;
  keys: string[];
  values: string[];
  /** The GROUP BYs (one per basis etc.) that give this rollup's rows over the items matching `where`. */
  selects: (where: string) => Select[];
  /** The table of this rollup by month (db/schema/monthRollups.ts), null for rollups a date range never narrows. */
  months: string | null;
  /** The table of this rollup by facet (db/schema/facetRollups.ts), absent for rollups no status or provenance filter narrows. */
  facets?: string;
}

export const NOT_EXCLUDED = 'i.excluded = FALSE';

/** The publication month of an item's document (joined as `md`), '' when undated. */
export const MONTH = `coalesce(${monthOfText('md.published_start')}, '')`;

/** The facets: review status, and the provenance of the latest suggestion (joined as `fs`; '' and 0 without one). */
export const FACET_KEYS = ['review_status', 'provider', 'model', 'prompt_version', 'codebook_id'];
export const FACET_SQL: Record<string, string> = {
  review_status: 'i.review_status',
  provider: "coalesce(fs.provider, '')",
  model: "coalesce(fs.model, '')",
  prompt_version: "coalesce(fs.prompt_version, '')",
  codebook_id: 'coalesce(fs.codebook_id, 0)',
};

/** The facets a rollup with these keys adds (the status rollup already has the status). */
export const facetsOf = (keys: readonly string[]) => FACET_KEYS.filter((k) => !keys.includes(k));

type ThemeKey = 'source_id' | 'level' | 'basis' | 'label' | 'theme';

/**
 * Labelled items per theme (themes of the basis's kind), keyed by `keys` in that order: the
 * heatmap, the label × theme view and their source-filtered form differ only in their keys.
 */
function themeRollup(table: string, keys: ThemeKey[], months: string | null, facets?: string): Rollup {
  return {
    table,
    keys,
    values: ['n'],
    months,
    ...(facets === undefined ? {} : { facets }),
    selects: (where) =>
      BASES.map((basis) => {
        const b = basisText(basis);
        const column: Record<ThemeKey, string> = { source_id: 'i.source_id', level: 'i.level', basis: `'${basis}'`, label: b.label, theme: 't.theme' };
        return {
          keys: keys.map((k) => column[k]),
          values: ['count(*)'],
          from: `items i JOIN item_themes t ON t.item_id = i.id AND t.kind = ${b.themeKind}`,
          where: `${NOT_EXCLUDED} AND ${b.label} IS NOT NULL AND (${where})`,
          group: keys.flatMap((k, position) => (k === 'basis' ? [] : [position + 1])),
        };
      }),
  };
}

/** Every rollup kept from items, in the order a rebuild fills them. */
export const BASE_ROLLUPS: Rollup[] = [
  {
    table: 'source_rollups',
    keys: ['source_id', 'level', 'basis', 'label'],
    values: ['n', 'stance_n', 'stance_sum'],
    months: 'source_rollups_months',
    facets: 'source_rollups_facets',
    selects: (where) =>
      BASES.map((basis) => {
        const b = basisText(basis);
        return {
          keys: ['i.source_id', 'i.level', `'${basis}'`, `coalesce(${b.label}, '')`],
          values: ['count(*)', `count(${b.stance})`, `coalesce(sum(${b.stance}), 0)`],
          from: 'items i',
          where: `${NOT_EXCLUDED} AND (${where})`,
          group: [1, 2, 4],
        };
      }),
  },
  {
    table: 'source_status_rollups',
    keys: ['source_id', 'level', 'review_status'],
    values: ['n', 'suggested', 'random_sample'],
    months: 'source_status_rollups_months',
    facets: 'source_status_rollups_facets',
    selects: (where) => [
      {
        keys: ['i.source_id', 'i.level', 'i.review_status'],
        values: ['count(*)', 'count(i.suggested_label)', `coalesce(${countWhereText(text(IN_RANDOM_SAMPLE))}, 0)`],
        from: `items i ${text(INDEPENDENT_REVIEW_JOIN)}`,
        where: `${NOT_EXCLUDED} AND (${where})`,
        group: [1, 2, 3],
      },
    ],
  },
  themeRollup('source_theme_rollups', ['source_id', 'level', 'basis', 'label', 'theme'], null),
  themeRollup('source_theme_totals', ['source_id', 'level', 'basis', 'theme'], 'source_theme_totals_months', 'source_theme_totals_facets'),
  themeRollup('label_theme_rollups', ['level', 'basis', 'label', 'theme'], 'label_theme_rollups_months', 'label_theme_rollups_facets'),
  {
    table: 'document_rollups',
    keys: ['document_id', 'level', 'basis', 'source_id'],
    values: ['n', 'stance_sum'],
    months: null,
    facets: 'document_rollups_facets',
    selects: (where) =>
      BASES.map((basis) => {
        const b = basisText(basis);
        return {
          keys: ['i.document_id', 'i.level', `'${basis}'`, 'i.source_id'],
          values: ['count(*)', `sum(${b.stance})`],
          from: 'items i',
          where: `${NOT_EXCLUDED} AND ${b.stance} IS NOT NULL AND (${where})`,
          group: [1, 2, 4],
        };
      }),
  },
  {
    // The comparison's units; its per-source sums are derived from these rows (compareRollups.ts).
    table: 'document_label_rollups',
    keys: ['document_id', 'level', 'basis', 'source_id', 'label'],
    values: ['n'],
    months: null,
    facets: 'document_label_rollups_facets',
    selects: (where) =>
      BASES.map((basis) => {
        const b = basisText(basis);
        return {
          keys: ['i.document_id', 'i.level', `'${basis}'`, 'i.source_id', `coalesce(${b.label}, '')`],
          values: ['count(*)'],
          from: 'items i',
          where: `${NOT_EXCLUDED} AND (${b.label} IS NOT NULL OR ${b.stance} IS NOT NULL) AND (${where})`,
          group: [1, 2, 4, 5],
        };
      }),
  },
  {
    table: 'timeline_rollups',
    keys: ['source_id', 'level', 'basis', 'granularity', 'period', 'label'],
    values: ['n', 'stance_n', 'stance_sum'],
    months: null,
    facets: 'timeline_rollups_facets',
    selects: (where) =>
      BASES.flatMap((basis) =>
        GRANULARITIES.map((g) => {
          const b = basisText(basis);
          return {
            keys: ['i.source_id', 'i.level', `'${basis}'`, `'${g}'`, `coalesce(${text(periodSql(g))}, '')`, b.label],
            values: ['count(*)', `count(${b.stance})`, `coalesce(sum(${b.stance}), 0)`],
            from: 'items i JOIN documents d ON d.id = i.document_id',
            where: `${NOT_EXCLUDED} AND ${b.label} IS NOT NULL AND (${where})`,
            group: [1, 2, 5, 6],
          };
        }),
      ),
  },
  {
    // Not a dashboard figure: what a tagging run's estimate sums (db/schema/itemTotals.ts).
    table: 'item_totals',
    keys: ['source_id', 'level', 'tagged'],
    values: ['n', 'chars'],
    months: null,
    selects: (where) => [
      {
        keys: ['i.source_id', 'i.level', flagText('i.suggestion_count > 0')],
        values: ['count(*)', 'coalesce(sum(i.chars), 0)'],
        from: 'items i',
        where: `${NOT_EXCLUDED} AND (${where})`,
        group: [1, 2, 3],
      },
    ],
  },
  {
    table: 'agreement_rollups',
    keys: ['source_id', 'level', 'suggested', 'reviewed'],
    values: ['n', 'abs_diff', 'stance_pairs'],
    months: 'agreement_rollups_months',
    facets: 'agreement_rollups_facets',
    selects: (where) => [
      {
        keys: ['i.source_id', 'i.level', text(modelPeoplePairs.suggested), text(modelPeoplePairs.people)],
        values: ['count(*)', `coalesce(sum(abs(${text(modelPeoplePairs.stanceDifference)})), 0)`, `count(${text(modelPeoplePairs.stanceDifference)})`],
        from: 'items i',
        where: `${NOT_EXCLUDED} AND ${text(modelPeoplePairs.where)} AND (${where})`,
        group: [1, 2, 3, 4],
      },
    ],
  },
  {
    table: 'corrected_rollups',
    keys: ['source_id', 'level', 'suggested', 'reviewed'],
    values: ['n', 'sm', 'smm', 'sns', 'sd', 'sdd', 'smd'],
    months: 'corrected_rollups_months',
    facets: 'corrected_rollups_facets',
    selects: (where) => {
      const diff = text(correctionSample.diff);
      const inSample = text(correctionSample.inSample);
      const stanceSample = `${inSample} AND ${diff} IS NOT NULL`;
      return [
        {
          keys: ['i.source_id', 'i.level', 'i.suggested_label', `coalesce(CASE WHEN ${inSample} THEN ${text(correctionSample.human)} END, '')`],
          values: [
            'count(*)',
            'coalesce(sum(i.suggested_stance), 0)',
            'coalesce(sum(i.suggested_stance * i.suggested_stance), 0)',
            `coalesce(${countWhereText(stanceSample)}, 0)`,
            `coalesce(sum(CASE WHEN ${stanceSample} THEN ${diff} END), 0)`,
            `coalesce(sum(CASE WHEN ${stanceSample} THEN ${diff} * ${diff} END), 0)`,
            `coalesce(sum(CASE WHEN ${stanceSample} THEN i.suggested_stance * ${diff} END), 0)`,
          ],
          from: `items i ${text(correctionSample.join)}`,
          where: `${NOT_EXCLUDED} AND i.suggested_label IS NOT NULL AND (${where})`,
          group: [1, 2, 3, 4],
        },
      ];
    },
  },
];

/** source_stance_rollups: sums over document_rollups, kept from its deltas (api/dashboard/rollups.ts). */
export const STANCE_KEYS = ['source_id', 'level', 'basis'];
export const STANCE_VALUES = ['documents', 'n', 's', 'ss', 'sn', 'nn'];
export const STANCE_MONTHS = 'source_stance_rollups_months';
