import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { getActiveCodebook } from '../codebooks/service.ts';
import { INDEPENDENT_DECISION, MODEL_PEOPLE_STATEMENT, modelPeoplePairs } from '../items/provenance.ts';
import { cohenKappa, fleissKappa, krippendorffAlpha, percentAgreement } from '../metrics/agreement.ts';
import { bootstrapInterval } from '../metrics/bootstrap.ts';
import { dialectFor, jsonKeyIsTrue } from '../../db/sqlDialect.ts';

/** A statistic with its bootstrap 95% interval; null where the statistic is undefined for the data. */
export const EstimateSchema = z.object({ estimate: z.number().nullable(), low: z.number().nullable(), high: z.number().nullable() }).meta({ id: 'AgreementEstimate' });
export type Estimate = z.infer<typeof EstimateSchema>;

/** Agreement figures over one set of items. */
export const AgreementBlockSchema = z
  .object({
    /** Items (units) the figures rest on. */
    n: z.number().int(),
    percent: EstimateSchema,
    cohen: EstimateSchema.nullable(),
    fleiss: EstimateSchema.nullable(),
    alpha: EstimateSchema,
  })
  .meta({ id: 'AgreementBlock' });
export type AgreementBlock = z.infer<typeof AgreementBlockSchema>;

const perLabel = z.array(AgreementBlockSchema.extend({ label: z.string() }));

/** Human-human and model-human agreement, apart. */
export const AgreementReportSchema = z
  .object({
    level: z.enum(['passage', 'document']),
    /** Reviewers compared with each other: items with independent decisions by at least two people. */
    humanHuman: AgreementBlockSchema.extend({ reviewers: z.array(z.string()), perLabel, perPair: z.array(AgreementBlockSchema.extend({ a: z.string(), b: z.string() })) }),
    /** The model's latest suggestion against the item's independent human label, one pair per item (the dashboard's "Model and people" figures). */
    modelHuman: AgreementBlockSchema.extend({ statement: z.string(), perLabel, perReviewer: z.array(AgreementBlockSchema.extend({ reviewer: z.string() })) }),
    /**
     * Decisions left out of the reviewer figures: bulk accepts and imported labels (not independent
     * judgements), and decisions made after seeing another coder's decision on the item.
     */
    leftOut: z.object({ bulk: z.number().int(), import: z.number().int(), sawOthers: z.number().int() }),
    bootstrap: z.object({ iterations: z.number().int(), level: z.number() }),
  })
  .meta({ id: 'AgreementReport' });
export type AgreementReport = z.infer<typeof AgreementReportSchema>;

const ITERATIONS = 1000;
const LEVEL = 0.95;

const finite = (x: number) => (Number.isFinite(x) ? x : null);

function estimate<T>(units: readonly T[], statistic: (s: readonly T[]) => number): Estimate {
  const safe = (s: readonly T[]) => {
    try {
      return statistic(s);
    } catch {
      return Number.NaN;
    }
  };
  const i = bootstrapInterval(units, safe, { iterations: ITERATIONS, seed: 1, level: LEVEL });
  return { estimate: finite(i.estimate), low: finite(i.low), high: finite(i.high) };
}

/** Units with the most common number (>= 2) of ratings, as Fleiss' kappa needs. */
function equalSized(units: readonly (readonly string[])[]): string[][] {
  const counts = new Map<number, number>();
  for (const u of units) if (u.length >= 2) counts.set(u.length, (counts.get(u.length) ?? 0) + 1);
  const m = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  return m === undefined ? [] : units.filter((u) => u.length === m).map((u) => [...u]);
}

/** A block over units given as reviewer → label maps (a missing reviewer is a missing rating). */
function block(units: readonly Map<string, string>[], raters: readonly string[], pair: boolean): AgreementBlock {
  const pairable = units.filter((u) => u.size >= 2);
  const rows = (s: readonly Map<string, string>[]) => s.map((u) => raters.map((r) => u.get(r) ?? null));
  return {
    n: pairable.length,
    percent: estimate(pairable, (s) => percentAgreement(rows(s))),
    cohen: pair ? estimate(pairable, (s) => cohenKappa(s.map((u) => u.get(raters[0]!)!), s.map((u) => u.get(raters[1]!)!))) : null,
    fleiss: pair ? null : estimate(pairable, (s) => fleissKappa(equalSized(s.map((u) => [...u.values()])))),
    alpha: estimate(pairable, (s) => krippendorffAlpha(rows(s), 'nominal')),
  };
}

/** Each label against the rest: agreement on "is it this label?". */
function binarise(units: readonly Map<string, string>[], label: string): Map<string, string>[] {
  return units.map((u) => new Map([...u].map(([r, l]) => [r, l === label ? label : 'other'])));
}

const MODEL = '\u0000model';
const PEOPLE = '\u0000people';

/**
 * Agreement between reviewers and between the model and people, per label and per pair, with
 * bootstrap 95% intervals over items, for one level. Reviewer figures count each person's latest
 * standing independent decision with a label (api/items/provenance.ts), not one made after seeing
 * another coder's decision; bulk accepts and imported labels never count. The model figures are
 * one pair per item, exactly as the dashboard's "Model and people" view counts them.
 */
export function agreementReport(db: Db, level: 'passage' | 'document' = 'passage'): AgreementReport {
  const labels = getActiveCodebook(db).definition.labels.map((l) => l.id);
  const decisions = db.all<{ itemId: number; reviewer: string; label: string; independent: number; kind: string; sawOthers: number; suggested: string | null }>(sql`
    SELECT r.item_id AS "itemId", u.name AS reviewer, r.label, ${INDEPENDENT_DECISION} AS independent, r.kind, i.suggested_label AS suggested,
      (${jsonKeyIsTrue(dialectFor(db), sql`r.shown`, 'othersDecisionsShown')} AND EXISTS (
        SELECT 1 FROM reviews o WHERE o.item_id = r.item_id AND o.reviewer_id <> r.reviewer_id AND o.id < r.id AND o.action IN ('accept', 'edit', 'reject')
          AND NOT EXISTS (SELECT 1 FROM reviews x WHERE x.undoes_review_id = o.id))) AS "sawOthers"
    FROM reviews r JOIN users u ON u.id = r.reviewer_id JOIN items i ON i.id = r.item_id LEFT JOIN imports im ON im.id = r.import_id
    WHERE r.action IN ('accept', 'edit', 'reject') AND r.label IS NOT NULL AND i.level = ${level} AND i.excluded = FALSE
      AND NOT EXISTS (SELECT 1 FROM reviews x WHERE x.undoes_review_id = r.id)
    ORDER BY r.id`);
  const leftOut = { bulk: 0, import: 0, sawOthers: 0 };
  const byItem = new Map<number, { people: Map<string, string>; suggested: string | null }>();
  for (const d of decisions) {
    if (d.independent !== 1) {
      leftOut[d.kind === 'bulk' ? 'bulk' : 'import'] += 1;
      continue;
    }
    if (d.sawOthers === 1) {
      leftOut.sawOthers += 1;
      continue;
    }
    const entry = byItem.get(d.itemId) ?? { people: new Map(), suggested: d.suggested };
    entry.people.set(d.reviewer, d.label); // later rows win: the latest decision counts
    byItem.set(d.itemId, entry);
  }
  const units = [...byItem.values()].map((e) => e.people);
  const reviewers = [...new Set(units.flatMap((u) => [...u.keys()]))].sort();

  const perPair: AgreementReport['humanHuman']['perPair'] = [];
  for (let x = 0; x < reviewers.length; x++) {
    for (let y = x + 1; y < reviewers.length; y++) {
      const a = reviewers[x]!;
      const b = reviewers[y]!;
      const both = units.filter((u) => u.has(a) && u.has(b)).map((u) => new Map([[a, u.get(a)!], [b, u.get(b)!]]));
      if (both.length > 0) perPair.push({ a, b, ...block(both, [a, b], true) });
    }
  }
  const pairs = db.all<{ suggested: string; people: string }>(sql`
    SELECT ${modelPeoplePairs.suggested} AS suggested, ${modelPeoplePairs.people} AS people FROM items i
    WHERE i.level = ${level} AND i.excluded = FALSE AND ${modelPeoplePairs.where} ORDER BY i.id`);
  const modelUnits = pairs.map((p) => new Map([[MODEL, p.suggested], [PEOPLE, p.people]]));
  const perReviewer = reviewers
    .map((reviewer) => {
      const mine = [...byItem.values()].filter((e) => e.suggested !== null && e.people.has(reviewer)).map((e) => new Map([[MODEL, e.suggested!], [reviewer, e.people.get(reviewer)!]]));
      return { reviewer, ...block(mine, [MODEL, reviewer], true) };
    })
    .filter((r) => r.n > 0);

  return {
    level,
    humanHuman: {
      ...block(units, reviewers, false),
      reviewers,
      perLabel: labels.map((label) => ({ label, ...block(binarise(units, label), reviewers, false) })),
      perPair,
    },
    modelHuman: {
      ...block(modelUnits, [MODEL, PEOPLE], true),
      statement: MODEL_PEOPLE_STATEMENT,
      perLabel: labels.map((label) => ({ label, ...block(binarise(modelUnits, label), [MODEL, PEOPLE], true) })),
      perReviewer,
    },
    leftOut,
    bootstrap: { iterations: ITERATIONS, level: LEVEL },
  };
}
