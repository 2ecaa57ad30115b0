import type { ComparisonReport } from './comparison.ts';

const f = (x: number | null, digits = 3) => (x === null ? 'n/a' : x.toFixed(digits));
const ci = (i: { estimate: number | null; low: number | null; high: number | null }) => `${f(i.estimate)} [${f(i.low)}, ${f(i.high)}]`;

function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A model comparison as Markdown: arms, pairwise agreement and the disagreement list. */
export function renderComparisonReport(r: ComparisonReport): string {
  const out = [`# Model comparison: ${r.name}`, ''];
  out.push(
    `${r.items} items in the sample, ${r.humanDecided} with an independent human decision so far. Intervals: 95% bootstrap over documents (${r.bootstrap.iterations} resamples, seed ${r.bootstrap.seed}); an unanswered item counts as disagreeing.${r.incomplete ? ' Some runs are still going: the figures cover what is answered so far.' : ''}`,
    '',
  );
  out.push(
    table(
      ['run', 'model', 'prompt', 'status', 'answered', 'accuracy vs people', 'κ vs people', 'USD / 1,000 items', 'latency p50 / p95 (ms)', 's / 1,000 items'],
      r.arms.map((a) => [a.runId, a.displayName, a.promptVersions.passage, a.status, `${a.answered} / ${r.items}`, ci(a.humans.accuracy), ci(a.humans.kappa), a.costPer1000Usd === null ? 'unknown' : a.costPer1000Usd.toFixed(4), `${f(a.latencyMs.p50, 0)} / ${f(a.latencyMs.p95, 0)}`, f(a.secondsPer1000, 1)]),
    ),
    '',
  );
  out.push('## Agreement between the models', '');
  out.push(table(['runs', 'items both answered', 'percent agreement', "Cohen's κ [95% CI]"], r.pairs.map((p) => [`${p.a} vs ${p.b}`, p.n, f(p.percentAgreement), ci(p.kappa)])), '');
  out.push(`## Where they differ (${r.disagreements.length} items)`, '');
  if (r.reviewLink) out.push(`Review them first: ${r.reviewLink}`, '');
  out.push(
    table(
      ['item', 'level', ...r.arms.map((a) => `run ${a.runId}`), 'people'],
      r.disagreements.map((d) => [d.itemId, d.level, ...d.answers.map((x) => (x ? `${x.label} (${x.stance})` : 'no answer')), d.human ?? '—']),
    ),
  );
  return `${out.join('\n')}\n`;
}
