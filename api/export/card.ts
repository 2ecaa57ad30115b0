import { krippendorffAlpha, percentAgreement } from '../metrics/agreement.ts';
import { CSV_LIST_SEPARATOR, EXPORT_FORMAT_VERSION, type ExportColumn, type ExportRow } from './columns.ts';
import type { ExportPlan } from './query.ts';

/**
 * The dataset card: a README that travels with a bundle so the dataset can be cited and
 * reused without Framescope. Its figures are tallied from the rows as they stream past, so
 * they describe exactly the exported rows.
 */

const increment = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

/** Running tallies over exported rows; memory grows with sources × labels, models and multiply-reviewed items only. */
export class DatasetTally {
  rows = 0;
  readonly bySourceLabel = new Map<string, Map<string, number>>();
  readonly byLabel = new Map<string, number>();
  readonly byStatus = new Map<string, number>();
  readonly byOrigin = new Map<string, number>();
  readonly models = new Map<string, number>();
  readonly reviewers = new Map<string, number>();
  readonly codebookIds = new Set<number>();
  /** Labels of each item that two or more reviewers labelled: the agreement units. */
  readonly agreementUnits: string[][] = [];
  excluded = 0;
  bulk = 0;
  private readonly at: Map<string, number>;
  private readonly width: number;

  constructor(columns: readonly ExportColumn[]) {
    this.at = new Map(columns.map((c, i) => [c.name, i]));
    this.width = columns.length;
  }

  private get(row: ExportRow, name: string): ExportRow[number] {
    const i = this.at.get(name);
    return i === undefined ? null : (row[i] ?? null);
  }

  /** Counts one exported row (its trailing value, past the columns, is the codebook id). */
  add(input: ExportRow): void {
    const row = (name: string) => this.get(input, name);
    const codebookId = (input[this.width] as number | null | undefined) ?? null;
    this.rows += 1;
    const label = (row('final_label') as string | null) ?? '(none)';
    const source = String(row('source'));
    let perSource = this.bySourceLabel.get(source);
    if (!perSource) this.bySourceLabel.set(source, (perSource = new Map()));
    increment(perSource, label);
    increment(this.byLabel, label);
    increment(this.byStatus, String(row('review_status')));
    increment(this.byOrigin, (row('final_origin') as string | null) ?? '(none)');
    if (codebookId !== null) this.codebookIds.add(codebookId);
    const suggestionsJson = row('suggestions');
    const suggestions = typeof suggestionsJson === 'string' ? (JSON.parse(suggestionsJson) as { provider: string; model: string; prompt_version: string; codebook_version: string }[]) : [];
    for (const s of suggestions) {
      increment(this.models, `${s.provider} / ${s.model} / prompt ${s.prompt_version} / codebook ${s.codebook_version}`);
    }
    for (const r of (row('reviewers') as string[] | null) ?? []) increment(this.reviewers, r);
    if (row('excluded') === true) this.excluded += 1;
    if (row('bulk_accept') === true) this.bulk += 1;
    const reviewsJson = row('reviews');
    const reviews = typeof reviewsJson === 'string' ? (JSON.parse(reviewsJson) as { reviewer: string; label: string | null; action: string; standing: boolean }[]) : [];
    const latest = new Map<string, string | null>();
    for (const r of reviews) if (r.standing && r.action !== 'adjudicate') latest.set(r.reviewer, r.label);
    const labels = [...latest.values()].filter((l): l is string => l !== null);
    if (labels.length >= 2) this.agreementUnits.push(labels);
  }
}

const fmt = (n: number) => (Number.isNaN(n) ? 'n/a (not enough data)' : n.toFixed(3));
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

function table(header: string[], rows: string[][]): string {
  return [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function countTable(title: string, map: Map<string, number>): string {
  if (map.size === 0) return `${title}: none.`;
  return table([title, 'rows'], [...map.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, String(n)]));
}

export interface CardInput {
  plan: ExportPlan;
  tally: DatasetTally;
  dataFile: string;
  codebookFiles: string[];
  generatedAt: Date;
}

/** Renders the dataset card (Markdown). */
export function renderDatasetCard({ plan, tally, dataFile, codebookFiles, generatedAt }: CardInput): string {
  const { request } = plan;
  const labels = [...tally.byLabel.keys()].sort();
  const sourceRows = [...tally.bySourceLabel.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([source, counts]) => [source, ...labels.map((l) => String(counts.get(l) ?? 0)), String([...counts.values()].reduce((a, b) => a + b, 0))]);
  const units = tally.agreementUnits;
  const columnDoc = (c: ExportColumn) => `- \`${c.name}\` (${c.type}): ${c.description}`;
  return `# Framescope dataset: ${request.level}-level ${request.status} labels

Generated ${generatedAt.toISOString()} by Framescope (export layout version ${EXPORT_FORMAT_VERSION}).
${tally.rows} rows, one per ${request.level}.${tally.rows === 0 && plan.emptyReason ? ` Empty because ${plan.emptyReason}.` : ''}

## Files
- \`${dataFile}\`: the data (${request.format.toUpperCase()}).
${codebookFiles.map((f) => `- \`${f}\`: the codebook the labels were given under (labels with definitions, stance scale, themes).`).join('\n')}
- \`README.md\`: this card.

## Filters of this export
${plan.filterSummary.map((s) => `- ${s}`).join('\n')}

## Rows per source and final label
${sourceRows.length === 0 ? 'No rows.' : table(['source', ...labels, 'total'], sourceRows)}

## Where the final labels come from
Suggestions never pass for decisions: \`final_origin\` says, for every row, whether its label is the model's (no person has decided), a reviewer's (one person reading the item, accepting or correcting the model), a bulk accept (a person endorsing the model's labels for many items at once, not an independent judgement), an adjudication, or came with an imported file. \`people_label\` holds the independent human decision alone (reviewers and adjudications, imports marked gold; never bulk accepts): what agreement, corrected estimates and the local model's training count.

${countTable('final_origin', tally.byOrigin)}

${countTable('review_status', tally.byStatus)}

Bulk accepts among the deciding reviews: ${tally.bulk}.${request.level === 'passage' ? ` Excluded passages in the file: ${tally.excluded}.` : ''}

## Agreement between reviewers
Items labelled by two or more reviewers: ${units.length}.
- Percent agreement (share of reviewer pairs giving the same label, mean over items): ${fmt(percentAgreement(units))}
- Krippendorff's alpha (nominal): ${fmt(krippendorffAlpha(units))}

## Models and prompts involved
${countTable('provider / model / prompt / codebook', tally.models)}

## Reviewers
${countTable('reviewer', tally.reviewers)}

## Review protocol
- A model proposes, for each passage and document, a label, a stance and themes, with confidence and evidence quotes. Every suggestion is listed in \`suggestions\` with its provider, model, prompt version and codebook version.
- A person decides: accept (the suggestion as shown), edit (accept with changes), reject (wrong; a label may be given or left open). Reviews are append-only: a change or an undo is a new review; \`reviews\` lists them all, \`standing\` marks those not undone.
- Each reviewer's latest standing decision counts once. Agreeing decisions make an item \`reviewed\`; different labels make it \`disputed\` (no final label) until an admin adjudicates (\`adjudicated\`). A reject with the answer left open, and no label beside it, makes it \`rejected\`: it has no label.
- \`final_label\` is the human label where there is one, otherwise the latest suggestion (\`final_origin\` = model). Labels that arrived with a file are import reviews (\`final_origin\` = import, reviewer \`import:<name>\`).
- Excluded passages (boilerplate, captions, donation appeals ...) are kept apart and never counted; when included in an export they carry \`excluded\`, \`excluded_reason\` and \`excluded_by\`, and a reviewer's exclusion who (\`excluded_by_reviewer\`) and when (\`excluded_at\`).
- \`shown_*\` is the suggestion on screen when the standing decision was made (with its evidence, rationale, run, provider, exact model version, prompt and codebook versions); none in blind mode or for imported labels.

## Formats
- CSV: RFC 4180, UTF-8, CRLF line ends, fields with commas, quotes or newlines quoted. Lists (themes, reviewers) are joined with \`${CSV_LIST_SEPARATOR}\`; \`suggestions\` and \`reviews\` are JSON text. A text cell a spreadsheet could run as a formula gets one single quote \`'\` in front: one starting with \`=\`, \`+\`, \`-\` or \`@\` (also their full-width forms such as \`＝\`, and also after leading spaces or line breaks), or with a tab or carriage return; so does a cell whose text really starts with quotes followed by such a start. Remove one leading quote from a cell that starts with quotes followed by such a start to recover the exact text (Framescope's importer does this for files with a \`framescope_export\` column).
- CSV and JSONL end with an end marker: a last row whose \`framescope_export\` is \`end\`, with the row count in \`item_id\` (CSV) or \`rows\` (JSONL). Drop it when analysing; a file without it was cut short (a killed export or a dropped download) and is incomplete. Parquet files and zip bundles carry their own footer.
- JSONL and Parquet keep every text exactly; lists are arrays (Parquet LIST<STRING>), \`suggestions\` and \`reviews\` are nested JSON (JSONL) or JSON text (Parquet).
- Offsets (\`passage_start\`, \`passage_end\`) are JavaScript string indices (UTF-16 code units) into the document text.

## Columns
${plan.columns.map(columnDoc).join('\n')}
`;
}
