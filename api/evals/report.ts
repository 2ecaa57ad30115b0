import type { EvalResult, StatInterval } from './result.ts';

const fmt = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits));
const ci = (i: StatInterval): string => `${fmt(i.estimate)} [${fmt(i.low)}, ${fmt(i.high)}]`;
/** Markdown table cells carry text from gold ids and source names: keep pipes and newlines from breaking the table. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

function table(header: string[], rows: (string | number)[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map((c) => cell(String(c))).join(' | ')} |`)].join('\n');
}

/** The readable report of one eval result, with its full provenance. */
export function renderMarkdown(r: EvalResult): string {
  const p = r.provenance;
  const out: string[] = [];
  out.push(`# Eval ${r.name}`, '');
  out.push(`${p.displayName} on ${p.gold.origin}, ${r.createdAt}.`, '');
  out.push(`**Protocol:** ${p.protocol.note}.`, '');
  out.push('## Provenance', '');
  out.push(
    table(
      ['field', 'value'],
      [
        ['provider', p.provider],
        ['model', p.model],
        ['provider parameters', JSON.stringify(p.providerParams)],
        ['passage prompt', `${p.prompts.passage.version} (${p.prompts.passage.hash})`],
        ['document prompt', `${p.prompts.document.version} (${p.prompts.document.hash})`],
        ['codebook', `${p.codebook.name} v${p.codebook.version} (${p.codebook.hash})`],
        ['gold set', `${p.gold.origin} (${p.gold.hash})`],
        ['databases', p.sources.databases.length === 0 ? 'none' : p.sources.databases.map((d) => `${d.name} (${d.path}, migration ${d.migration ?? 'unknown'}): ${d.use}`).join('; ')],
        ['codebooks', p.sources.codebooks.map((c) => `${c.name} v${c.version} (${c.hash}): ${c.use}`).join('; ') || `${p.codebook.name} v${p.codebook.version} (${p.codebook.hash})`],
        ['gold items', `${p.gold.items} (${p.gold.scoredItems} labelled, ${p.gold.excludedItems} excluded)`],
        ['repeats', p.parameters.repeats],
        ['outlet', `masked${p.parameters.outletBias ? '; also asked unmasked for the outlet-bias comparison' : ''}`],
        ['seed', p.parameters.seed],
        ['bootstrap', `${p.parameters.bootstrapIterations} resamples of ${p.parameters.bootstrapUnit}s, percentile 95% intervals`],
        ['replayed from', p.replayedFrom ?? 'no (answers asked live)'],
      ],
    ),
    '',
  );
  out.push('## Label', '');
  out.push(
    table(
      ['metric', 'estimate [95% CI]'],
      [
        ['accuracy', ci(r.label.accuracy)],
        ['macro-F1', ci(r.label.macroF1)],
        ["Cohen's kappa vs gold", ci(r.label.kappa)],
      ],
    ),
    '',
  );
  out.push(`Scored on ${r.label.n} items: ${r.label.byLevel.passage.n} passages (accuracy ${fmt(r.label.byLevel.passage.accuracy)}, macro-F1 ${fmt(r.label.byLevel.passage.macroF1)}) and ${r.label.byLevel.document.n} documents (accuracy ${fmt(r.label.byLevel.document.accuracy)}).`, '');
  out.push(table(['label', 'precision', 'recall', 'F1', 'gold', 'predicted'], r.label.perLabel.map((s) => [s.label, fmt(s.precision), fmt(s.recall), fmt(s.f1), s.support, s.predicted])), '');
  out.push('Confusion matrix (rows: gold, columns: predicted):', '');
  out.push(table(['gold \\ predicted', ...r.label.confusion.labels, 'no answer'], r.label.confusion.labels.map((l, g) => [l, ...r.label.confusion.matrix[g]!, r.label.confusion.unanswered[g]!])), '');
  out.push('## Themes', '');
  out.push(`Micro-F1 ${fmt(r.themes.microF1)} (precision ${fmt(r.themes.microPrecision)}, recall ${fmt(r.themes.microRecall)}); macro-F1 ${fmt(r.themes.macroF1)}.`, '');
  out.push('## Stance', '');
  out.push(`Mean absolute error ${fmt(r.stance.mae)}; Spearman ${fmt(r.stance.spearman)} (n = ${r.stance.n}; n/a when the predictions are constant).`, '');
  out.push('## Exclusion', '');
  const ex = (b: EvalResult['exclusion']['model'] | null) => (b ? `precision ${fmt(b.precision)}, recall ${fmt(b.recall)} (${b.predicted} flagged, ${b.support} excluded in gold)` : 'n/a');
  out.push(`- Model (answers marked not substantive): ${ex(r.exclusion.model)}`, `- Segmenter (automatic exclusion): ${ex(r.exclusion.segmenter)}`, '');
  out.push('## Evidence', '');
  out.push(`${r.evidence.verified} of ${r.evidence.quotes} quotes found verbatim in the text (${fmt(r.evidence.verifiedShare)}).`, '');
  out.push('## Reliability', '');
  const failures = Object.entries(r.reliability.failuresByKind).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  out.push(`${r.reliability.schemaValid} of ${r.reliability.asked} answers schema-valid (${fmt(r.reliability.schemaValidShare)}); failures: ${failures}.`, '');
  if (r.reliability.repeats >= 2) {
    const a = r.reliability.agreementVsCorrectness;
    out.push(`Run-to-run agreement over ${r.reliability.repeats} repeats: Krippendorff's alpha ${fmt(r.reliability.labelAlpha)} (label, nominal), ${fmt(r.reliability.stanceAlpha)} (stance, ordinal).`);
    if (a) out.push(`Majority-label accuracy when repeats were unanimous: ${fmt(a.unanimous.accuracy)} (n = ${a.unanimous.n}); when split: ${fmt(a.split.accuracy)} (n = ${a.split.n}).`);
    out.push('');
  } else {
    out.push('Run with `--repeats N` (N >= 2) for run-to-run agreement.', '');
  }
  out.push('## Calibration', '');
  out.push(`Expected calibration error ${fmt(r.calibration.ece)} over ${r.calibration.n} answers with a confidence.`, '');
  out.push(table(['confidence', 'answers', 'mean confidence', 'accuracy'], r.calibration.bins.map((b) => [`${fmt(b.low, 1)}-${fmt(b.high, 1)}`, b.count, fmt(b.meanConfidence), fmt(b.accuracy)])), '');
  out.push('## Cost, tokens and latency', '');
  out.push(`Cost ${r.cost.usd === null ? 'unknown (no price for this model)' : `$${r.cost.usd.toFixed(4)}`}; tokens in ${r.cost.tokensIn}, out ${r.cost.tokensOut}; latency mean ${fmt(r.cost.latencyMs.mean, 0)} ms, p50 ${fmt(r.cost.latencyMs.p50, 0)} ms, p95 ${fmt(r.cost.latencyMs.p95, 0)} ms.`, '');
  if (r.outletBias) {
    const o = r.outletBias;
    out.push('## Outlet bias (masked vs named outlet)', '');
    out.push(`Naming the outlet changed the label of ${fmt(o.labelChangedShare)} of ${o.n} items; mean stance shift ${fmt(o.meanStanceShift)}; accuracy masked ${fmt(o.maskedAccuracy)}, named ${fmt(o.unmaskedAccuracy)}.`, '');
    out.push(table(['source', 'items', 'labels changed', 'mean stance shift'], o.bySource.map((s) => [s.source, s.n, s.labelChanged, fmt(s.meanStanceShift)])), '');
  }
  if (r.humanBaseline) {
    const h = r.humanBaseline;
    out.push('## Human baseline', '');
    out.push(`On ${h.items} items with several human reviews: human-human percent agreement ${fmt(h.humanHuman.percentAgreement)} (Krippendorff's alpha ${fmt(h.humanHuman.alpha)}); model-human percent agreement ${fmt(h.modelHuman.percentAgreement)}.`, '');
  }
  return `${out.join('\n')}\n`;
}

/** One metric across several results, with each one's difference from the first. */
export interface ComparisonRow {
  metric: string;
  /** Higher is better (false for errors and costs). */
  higherIsBetter: boolean;
  values: { name: string; estimate: number | null; low: number | null; high: number | null; difference: number | null; exceedsIntervals: boolean | null }[];
}

/** Several results side by side. */
export interface Comparison {
  baseline: string;
  results: { name: string; provider: string; model: string; prompt: string; codebook: string; gold: string; protocol: string }[];
  rows: ComparisonRow[];
  /** Results scored on a different gold set than the baseline: their differences mix data and model. */
  warnings: string[];
}

const num = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

/**
 * Compares results against the first: the difference of each metric, and for accuracy,
 * macro-F1 and kappa whether the two 95% intervals fail to overlap (a conservative reading:
 * non-overlap implies a difference beyond the resampling noise).
 */
export function compareResults(results: readonly EvalResult[]): Comparison {
  if (results.length < 2) throw new RangeError('compare needs at least two results');
  const base = results[0]!;
  const withCi = (metric: string, pick: (r: EvalResult) => StatInterval): ComparisonRow => {
    const b = pick(base);
    return {
      metric,
      higherIsBetter: true,
      values: results.map((r) => {
        const i = pick(r);
        const [estimate, low, high] = [num(i.estimate), num(i.low), num(i.high)];
        const [baseEstimate, baseLow, baseHigh] = [num(b.estimate), num(b.low), num(b.high)];
        const difference = estimate === null || baseEstimate === null ? null : estimate - baseEstimate;
        const exceeds = r === base || low === null || high === null || baseLow === null || baseHigh === null ? null : low > baseHigh || high < baseLow;
        return { name: r.name, estimate, low, high, difference, exceedsIntervals: exceeds };
      }),
    };
  };
  const plain = (metric: string, higherIsBetter: boolean, pick: (r: EvalResult) => number | null): ComparisonRow => {
    const b = num(pick(base));
    return {
      metric,
      higherIsBetter,
      values: results.map((r) => {
        const v = num(pick(r));
        return { name: r.name, estimate: v, low: null, high: null, difference: v === null || b === null ? null : v - b, exceedsIntervals: null };
      }),
    };
  };
  const warnings = results.filter((r) => r.provenance.gold.hash !== base.provenance.gold.hash).map((r) => `${r.name} was scored on a different gold set (${r.provenance.gold.origin}) than ${base.name}`);
  return {
    baseline: base.name,
    results: results.map((r) => ({
      name: r.name,
      provider: r.provenance.provider,
      model: r.provenance.model,
      prompt: r.provenance.prompts.passage.version,
      codebook: `${r.provenance.codebook.name}@${r.provenance.codebook.version}`,
      gold: r.provenance.gold.origin,
      protocol: r.provenance.protocol.kind,
    })),
    rows: [
      withCi('accuracy', (r) => r.label.accuracy),
      withCi('macro-F1', (r) => r.label.macroF1),
      withCi("Cohen's kappa", (r) => r.label.kappa),
      plain('themes micro-F1', true, (r) => r.themes.microF1),
      plain('themes macro-F1', true, (r) => r.themes.macroF1),
      plain('stance MAE', false, (r) => r.stance.mae),
      plain('stance Spearman', true, (r) => r.stance.spearman),
      plain('evidence verified share', true, (r) => r.evidence.verifiedShare),
      plain('schema-valid share', true, (r) => r.reliability.schemaValidShare),
      plain('ECE', false, (r) => r.calibration.ece),
      plain('cost (USD)', false, (r) => r.cost.usd),
      plain('latency p50 (ms)', false, (r) => r.cost.latencyMs.p50),
    ],
    warnings,
  };
}

/** The comparison as Markdown. */
export function renderComparisonMarkdown(c: Comparison): string {
  const out: string[] = ['# Eval comparison', '', `Differences are against ${c.baseline}; "beyond CI" means the two 95% bootstrap intervals do not overlap.`, ''];
  out.push(table(['result', 'provider', 'model', 'prompt', 'codebook', 'gold', 'protocol'], c.results.map((r) => [r.name, r.provider, r.model, r.prompt, r.codebook, r.gold, r.protocol])), '');
  const header = ['metric', ...c.results.map((r) => r.name)];
  const rows = c.rows.map((row) => [
    row.metric,
    ...row.values.map((v, i) => {
      const value = v.low !== null ? `${fmt(v.estimate)} [${fmt(v.low)}, ${fmt(v.high)}]` : fmt(v.estimate);
      if (i === 0) return value;
      const diff = v.difference === null ? 'n/a' : `${v.difference >= 0 ? '+' : ''}${fmt(v.difference)}`;
      return `${value} (${diff}${v.exceedsIntervals === null ? '' : v.exceedsIntervals ? ', beyond CI' : ', within CI'})`;
    }),
  ]);
  out.push(table(header, rows), '');
  for (const w of c.warnings) out.push(`Warning: ${w}.`);
  return `${out.join('\n')}\n`;
}
