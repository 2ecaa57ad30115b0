import type Database from 'better-sqlite3';
import { dialectFor, indexedByText, isoTimeText, jsonArrayAggText, jsonBoolText, jsonObjectOfText, jsonTextAtText, jsonValueText, type SqlDialect } from '../../db/sqlDialect.ts';
import { percentAgreement } from '../metrics/agreement.ts';
import { periodEnd, periodStart } from '../periods.ts';
import { badRequest } from '../errors.ts';
import { resolveSources } from '../ingest/sourceNames.ts';
import { basisSql, reviewOriginSql, sqlText } from '../items/provenance.ts';
import { EXPORT_FORMAT_VERSION, columnsFor, type ExportColumn, type ExportRow } from './columns.ts';
import type { ExportRequest } from './request.ts';

/**
 * The export query: one SQL statement over `items` (the labelled unit, which already holds the
 * current state derived by api/items/state.ts) joined to its document, source, passage, latest
 * suggestion and deciding review. Per-item history (all suggestions, all reviews) comes from
 * correlated subqueries as JSON, evaluated only for items that have any, so the statement can
 * be stepped one row at a time with `.iterate()` and memory stays flat however many rows match.
 * The statement is built for the connection's engine (its JSON functions differ, db/sqlDialect.ts);
 * shapeRow then writes every JSON value the same way on both, so the same data gives the same
 * bytes on SQLite and PostgreSQL.
 */

/** An export ready to run: validated request, its SQL, its columns and how many rows match. */
export interface ExportPlan {
  request: ExportRequest;
  columns: readonly ExportColumn[];
  sql: string;
  params: unknown[];
  /** Rows that match (counted before streaming, for progress and the empty-file message). */
  total: number;
  /** Why the export is empty (null when it is not). */
  emptyReason: string | null;
  /** Resolved filters, in words, for the dataset card and the CLI. */
  filterSummary: string[];
}

const FINAL = basisSql('final');
const PEOPLE = basisSql('people');
/** The final label, stance and theme kind of api/items/provenance.ts, as SQL text. */
const FINAL_LABEL = sqlText(FINAL.label);
const FINAL_THEME_KIND = sqlText(FINAL.themeKind);
/** Statuses a person has decided (status=reviewed): a label, or an open reject. */
const DECIDED = `('reviewed','adjudicated','rejected')`;

/** An item's themes of one kind (item_themes, as the dashboard counts them) as a JSON list, where `label` is set. */
const themesOf = (dialect: SqlDialect, label: string, kind: string) =>
  `CASE WHEN ${label} IS NOT NULL THEN (SELECT ${jsonArrayAggText(dialect, 't.theme', 't.theme')} FROM item_themes t WHERE t.item_id = i.id AND t.kind = ${kind}) END`;

/** SQL for each export column; `NULL` where the value is derived in JavaScript (see shapeRow). */
function columnSql(dialect: SqlDialect, level: ExportRequest['level']): Record<string, string> {
  /** The exact model version of suggestion `s`: what the API reported, else the model named (the local baseline's name is its version). */
  const modelVersion = (s: string) => `COALESCE(${jsonTextAtText(dialect, `${s}.params`, 'modelVersion')}, ${s}.model)`;
  const object = (pairs: [string, string][]) => jsonObjectOfText(dialect, pairs);
  const json = (column: string) => jsonValueText(dialect, column);
  const time = (column: string) => isoTimeText(dialect, column);
  return {
    framescope_export: `'${EXPORT_FORMAT_VERSION}'`,
    item_id: 'i.id',
    document_id: 'i.document_id',
    passage_id: 'p.id',
    passage_seq: 'p.seq',
    passage_start: 'p.start',
    passage_end: 'p."end"',
    source: 's.name',
    source_country: 's.country',
    source_url: 's.url',
    title: 'd.title',
    author: 'd.author',
    published: 'd.published',
    published_precision: 'd.published_precision',
    url: 'd.url',
    language: 'd.language',
    text: level === 'passage' ? 'p.text' : 'd.text',
    content_hash: 'd.content_hash',
    final_label: FINAL_LABEL,
    final_stance: sqlText(FINAL.stance),
    final_themes: themesOf(dialect, FINAL_LABEL, FINAL_THEME_KIND),
    final_origin: 'i.final_origin',
    review_status: 'i.review_status',
    people_label: sqlText(PEOPLE.label),
    people_stance: sqlText(PEOPLE.stance),
    people_themes: themesOf(dialect, sqlText(PEOPLE.label), sqlText(PEOPLE.themeKind)),
    codebook_name: 'cb.name',
    codebook_version: 'cb.version',
    suggestion_id: 'ls.id',
    suggested_label: 'ls.label',
    suggested_stance: 'ls.stance',
    suggested_themes: 'ls.themes',
    suggestion_confidence: 'ls.confidence',
    suggestion_rationale: 'ls.rationale',
    suggestion_evidence: 'ls.evidence',
    suggestion_run_id: 'ls.run_id',
    suggestion_provider: 'ls.provider',
    suggestion_model: 'ls.model',
    suggestion_model_version: `CASE WHEN ls.id IS NOT NULL THEN ${modelVersion('ls')} END`,
    suggestion_prompt_version: 'ls.prompt_version',
    suggestion_codebook_version: 'ls.codebook_version',
    suggested_at: 'ls.created_at',
    suggestion_count: 'i.suggestion_count',
    suggestion_agreement: 'i.suggestion_agreement',
    suggestions: `CASE WHEN i.suggestion_count > 0 THEN (
      SELECT ${jsonArrayAggText(
        dialect,
        object([
          ['id', 'x.id'], ['run_id', 'x.run_id'], ['provider', 'x.provider'], ['model', 'x.model'], ['model_version', modelVersion('x')],
          ['prompt_version', 'x.prompt_version'], ['codebook_version', 'x.codebook_version'], ['label', 'x.label'], ['stance', 'x.stance'],
          ['themes', json('x.themes')], ['confidence', 'x.confidence'], ['created_at', time('x.created_at')],
        ]),
        'x.id',
      )}
      FROM suggestions x WHERE x.item_id = i.id) END`,
    decision_review_id: 'dr.id',
    decision_origin: `CASE WHEN dr.id IS NOT NULL THEN ${sqlText(reviewOriginSql('dr'))} WHEN i.final_origin = 'model' THEN 'model' END`,
    decided_by: 'du.name',
    decided_at: 'dr.created_at',
    decision_action: 'dr.action',
    decision_blind: 'dr.blind',
    bulk_accept: `CASE WHEN dr.id IS NULL THEN NULL ELSE dr.kind = 'bulk' END`,
    import_name: 'im.name',
    import_gold: 'im.gold',
    shown_suggestion_id: 'ss.id',
    shown_label: 'ss.label',
    shown_stance: 'ss.stance',
    shown_confidence: 'ss.confidence',
    shown_rationale: 'ss.rationale',
    shown_evidence: 'ss.evidence',
    shown_run_id: 'ss.run_id',
    shown_provider: 'ss.provider',
    shown_model: 'ss.model',
    shown_model_version: `CASE WHEN ss.id IS NOT NULL THEN ${modelVersion('ss')} END`,
    shown_prompt_version: 'ss.prompt_version',
    shown_codebook_version: 'ss.codebook_version',
    reviewers: 'NULL',
    review_count: 'i.review_count',
    reviewer_agreement: 'NULL',
    reviews: `CASE WHEN i.review_status <> 'unreviewed' OR i.review_count > 0 OR p.excluded_by = 'reviewer' THEN (
      SELECT ${jsonArrayAggText(
        dialect,
        object([
          ['id', 'r.id'], ['reviewer', 'u.name'], ['action', 'r.action'], ['kind', 'r.kind'], ['label', 'r.label'], ['stance', 'r.stance'],
          ['themes', json('r.themes')], ['note', 'r.note'], ['blind', jsonBoolText(dialect, 'r.blind')], ['suggestion_id', 'r.suggestion_id'],
          ['created_at', time('r.created_at')], ['undoes', 'r.undoes_review_id'],
        ]),
        'r.id',
      )}
      FROM reviews r JOIN users u ON u.id = r.reviewer_id
      WHERE r.item_id = i.id AND r.action <> 'skip') END`,
    external_id: 'd.external_id',
    metadata: 'd.metadata',
    published_raw: 'd.published_raw',
    duplicate_of: 'd.duplicate_of',
    duplicate_similarity: 'd.duplicate_similarity',
    excluded: 'p.excluded',
    excluded_reason: 'p.excluded_reason',
    excluded_by: 'p.excluded_by',
    excluded_by_reviewer: 'xu.name',
    excluded_at: 'xr.created_at',
  };
}

/**
 * The select list in export column order, so a raw row (better-sqlite3 `.raw()` arrays) is
 * already an export row but for the few values derived in JavaScript; one extra trailing
 * value, the codebook id, feeds the bundle's codebook files.
 */
function selectList(dialect: SqlDialect, columns: readonly ExportColumn[], level: ExportRequest['level']): string {
  const sql = columnSql(dialect, level);
  return [...columns.map((c) => `${sql[c.name] ?? 'NULL'} AS ${c.name}`), 'cb.id AS codebook_id'].join(',\n    ');
}

const fromText = (dialect: SqlDialect) => `
  FROM items i${indexedByText(dialect, 'items_document_idx')}
  JOIN documents d ON d.id = i.document_id
  JOIN sources s ON s.id = i.source_id
  LEFT JOIN passages p ON p.id = i.passage_id
  LEFT JOIN suggestions ls ON ls.id = i.latest_suggestion_id
  LEFT JOIN reviews dr ON dr.id = i.decision_review_id
  LEFT JOIN users du ON du.id = dr.reviewer_id
  LEFT JOIN imports im ON im.id = dr.import_id
  LEFT JOIN suggestions ss ON ss.id = CASE WHEN dr.id IS NULL THEN i.latest_suggestion_id ELSE dr.suggestion_id END
  LEFT JOIN reviews xr ON xr.id = p.exclusion_review_id
  LEFT JOIN users xu ON xu.id = xr.reviewer_id
  LEFT JOIN codebooks cb ON cb.id = COALESCE(dr.codebook_id, ls.codebook_id)`;

/**
 * The FROM of the row count: the same rows as FROM with only the joins the filters read. Every
 * LEFT JOIN of FROM is on a primary key (at most one row), and an item always has its document
 * and source (NOT NULL foreign keys, enforced), so leaving a join out changes no count; counting
 * over items' covering indexes takes milliseconds where the whole join takes seconds on the
 * server's thread.
 */
function countFrom(joins: { document: boolean; decision: boolean }): string {
  return [
    'FROM items i JOIN sources s ON s.id = i.source_id',
    ...(joins.document ? ['JOIN documents d ON d.id = i.document_id'] : []),
    ...(joins.decision ? ['LEFT JOIN suggestions ls ON ls.id = i.latest_suggestion_id', 'LEFT JOIN reviews dr ON dr.id = i.decision_review_id'] : []),
  ].join(' ');
}

interface CodebookRow {
  id: number;
  name: string;
  version: string;
  definition: string;
}

function parseDefinition(row: CodebookRow): { labels: string[]; themes: string[] } {
  const def = JSON.parse(row.definition) as { labels?: { id: string }[]; themes?: { id: string }[] };
  return { labels: (def.labels ?? []).map((l) => l.id), themes: (def.themes ?? []).map((t) => t.id) };
}

/**
 * Validates a request against the database (sources, codebook, labels and themes must exist)
 * and builds its SQL and row count. Throws a 400 AppError naming the first bad value; writes
 * nothing.
 */
export function planExport(sqlite: Database.Database, request: ExportRequest): ExportPlan {
  const where: string[] = ['i.level = ?'];
  const params: unknown[] = [request.level];
  // Which of FROM's joins the conditions read (a condition on `d` or on `dr`/`ls`), for the count.
  const joins = { document: false, decision: false };
  const summary: string[] = [`level: ${request.level}`, `status: ${request.status}`];

  if (request.status === 'reviewed') where.push(`i.review_status IN ${DECIDED}`);
  if (request.status === 'final') where.push(`${FINAL_LABEL} IS NOT NULL`);
  if (!request.includeExcluded) where.push('i.excluded = FALSE');
  summary.push(request.level === 'passage' ? `excluded passages: ${request.includeExcluded ? 'included' : 'left out'}` : 'excluded passages: not applicable');

  if (request.syndicated === 'exclude') {
    where.push('d.duplicate_of IS NULL');
    joins.document = true;
    summary.push('syndicated copies: left out (documents linked as copies of another source\'s document)');
  }

  if (request.sources.length > 0) {
    const named = resolveSources(sqlite, request.sources);
    const ids = named.map((n) => n.id);
    const names = named.map((n) => n.name);
    where.push(`i.source_id IN (${ids.map(() => '?').join(',')})`);
    params.push(...ids);
    summary.push(`sources: ${names.join(', ')}`);
  }

  if (request.from && request.to && periodStart(request.from) > periodEnd(request.to)) {
    throw badRequest(`from: ${request.from} is after to: ${request.to}`, 'invalid_input');
  }
  if (request.from || request.to) joins.document = true;
  if (request.from) {
    where.push('d.published_start >= ?');
    params.push(periodStart(request.from));
  }
  if (request.to) {
    where.push('d.published_start <= ?');
    params.push(periodEnd(request.to));
  }
  if (request.from || request.to) summary.push(`published: ${request.from ?? '…'} to ${request.to ?? '…'} (undated documents left out)`);

  let codebooks = sqlite.prepare('SELECT id, name, version, definition FROM codebooks').all() as CodebookRow[];
  if (request.codebook) {
    const token = request.codebook;
    const matches = codebooks.filter((c) => String(c.id) === token || c.version === token || `${c.name}@${c.version}` === token);
    if (matches.length === 0) throw badRequest(`codebook: no codebook ${JSON.stringify(token)} (give an id, a version or name@version)`, 'unknown_codebook');
    codebooks = matches;
    where.push(`COALESCE(dr.codebook_id, ls.codebook_id) IN (${matches.map(() => '?').join(',')})`);
    joins.decision = true;
    params.push(...matches.map((c) => c.id));
    summary.push(`codebook: ${matches.map((c) => `${c.name}@${c.version}`).join(', ')}`);
  }
  const known = codebooks.map(parseDefinition);
  const knownLabels = new Set(known.flatMap((k) => k.labels));
  const knownThemes = new Set(known.flatMap((k) => k.themes));

  if (request.labels.length > 0) {
    const unknown = request.labels.find((l) => !knownLabels.has(l));
    if (unknown !== undefined) throw badRequest(`labels: ${JSON.stringify(unknown)} is not a label of the codebook (${[...knownLabels].join(', ') || 'no codebook stored'})`, 'unknown_label');
    where.push(`${FINAL_LABEL} IN (${request.labels.map(() => '?').join(',')})`);
    params.push(...request.labels);
    summary.push(`final labels: ${request.labels.join(', ')}`);
  }
  if (request.themes.length > 0) {
    const unknown = request.themes.find((t) => !knownThemes.has(t));
    if (unknown !== undefined) throw badRequest(`themes: ${JSON.stringify(unknown)} is not a theme of the codebook`, 'unknown_theme');
    where.push(`EXISTS (SELECT 1 FROM item_themes ft WHERE ft.item_id = i.id AND ft.kind = ${FINAL_THEME_KIND} AND ft.theme IN (${request.themes.map(() => '?').join(',')}))`);
    params.push(...request.themes);
    summary.push(`final themes include any of: ${request.themes.join(', ')}`);
  }

  const suggestionFilters: [string, string | null, string][] = [
    ['provider', request.provider, 'provider'],
    ['model', request.model, 'model'],
    ['prompt_version', request.promptVersion, 'prompt version'],
  ];
  const active = suggestionFilters.filter(([, v]) => v !== null);
  if (active.length > 0) {
    where.push(`EXISTS (SELECT 1 FROM suggestions fs WHERE fs.item_id = i.id AND ${active.map(([c]) => `fs.${c} = ?`).join(' AND ')})`);
    params.push(...active.map(([, v]) => v));
    summary.push(`suggested by: ${active.map(([, v, word]) => `${word} ${v}`).join(', ')}`);
  }

  const whereSql = `WHERE ${where.join(' AND ')}`;
  const total = (sqlite.prepare(`SELECT COUNT(*) AS n ${countFrom(joins)} ${whereSql}`).get(...params) as { n: number }).n;
  // items_document_idx is (document_id, level, seq): walking it gives this order without sorting a million rows first.
  const columns = columnsFor(request.level);
  const dialect = dialectFor(sqlite);
  const sql = `SELECT ${selectList(dialect, columns, request.level)} ${fromText(dialect)} ${whereSql} ORDER BY i.document_id, i.level, i.seq`;
  return {
    request,
    columns,
    sql,
    params,
    total,
    emptyReason: total === 0 ? explainEmpty(sqlite, request) : null,
    filterSummary: summary,
  };
}

/** Says why nothing matched, from the broadest cause to the narrowest. */
function explainEmpty(sqlite: Database.Database, request: ExportRequest): string {
  const unit = request.level === 'passage' ? 'passage' : 'document';
  const count = (sql: string) => (sqlite.prepare(sql).get(request.level) as { n: number }).n;
  if (count('SELECT COUNT(*) AS n FROM items WHERE level = ?') === 0) return `no ${unit}s in the database yet: import documents first`;
  if (request.status === 'reviewed' && count(`SELECT COUNT(*) AS n FROM items WHERE level = ? AND review_status IN ${DECIDED}`) === 0) {
    return `no ${unit} has a human decision yet (status=reviewed): review some, or export status=final or all`;
  }
  if (request.status === 'final' && count(`SELECT COUNT(*) AS n FROM items i WHERE i.level = ? AND ${FINAL_LABEL} IS NOT NULL`) === 0) {
    return `no ${unit} has a suggestion or a decision yet (status=final): run tagging, or export status=all`;
  }
  return `no ${unit} matches the filters`;
}

interface RawReview {
  id: number;
  reviewer: string;
  action: string;
  kind: string;
  label: string | null;
  stance: number | null;
  themes: string[] | null;
  created_at: string;
  undoes: number | null;
}

const DECISION_ACTIONS = new Set(['accept', 'edit', 'reject', 'adjudicate']);

/** Standing reviews (not undone), and each reviewer's latest standing decision; the same rule as api/items/state.ts. */
function standingByReviewer(reviews: RawReview[]): { standing: Set<number>; latest: RawReview[] } {
  const undone = new Set(reviews.filter((r) => r.action === 'undo' && r.undoes !== null).map((r) => r.undoes!));
  const standing = new Set<number>();
  const latest = new Map<string, RawReview>();
  for (const r of [...reviews].sort((a, b) => a.id - b.id)) {
    if (r.action === 'undo' || undone.has(r.id)) continue;
    standing.add(r.id);
    if (DECISION_ACTIONS.has(r.action) && r.action !== 'adjudicate') latest.set(r.reviewer, r);
  }
  return { standing, latest: [...latest.values()] };
}

/** Theme lists as the item state keeps them: distinct, sorted (the same order whatever order they were given in). */
const themeList = (v: unknown): string[] | null => (typeof v === 'string' ? [...new Set(JSON.parse(v) as string[])].sort() : null);

/** Positions of the values shapeRow derives, per column list. */
function positions(columns: readonly ExportColumn[]) {
  const at = (name: string) => columns.findIndex((c) => c.name === name);
  return {
    themes: ['final_themes', 'people_themes', 'suggested_themes'].map(at),
    bools: columns.flatMap((c, k) => (c.type === 'bool' ? [k] : [])),
    reviews: at('reviews'),
    reviewers: at('reviewers'),
    agreement: at('reviewer_agreement'),
    evidence: ['suggestion_evidence', 'shown_evidence'].map(at).filter((k) => k >= 0),
    suggestions: at('suggestions'),
    metadata: at('metadata'),
  };
}

/**
 * JSON values are written the same way whichever engine built them: compact, as JSON.stringify
 * writes them. PostgreSQL answers jsonb with its own spacing and key order (shorter keys first)
 * and SQLite writes floats with 17 digits inside json_object, so each is re-serialised here:
 * evidence quotes with their fields in the app's order, metadata with its keys sorted (the
 * imported columns' order is not kept by PostgreSQL's jsonb, so neither engine writes it).
 */
const EVIDENCE_FIELDS = ['quote', 'verified', 'start', 'end'] as const;
function evidenceJson(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  const quotes = JSON.parse(text) as Record<string, unknown>[];
  return JSON.stringify(quotes.map((q) => Object.fromEntries([...EVIDENCE_FIELDS.map((f) => [f, q[f] ?? null]), ...Object.keys(q).filter((k) => !(EVIDENCE_FIELDS as readonly string[]).includes(k)).sort().map((k) => [k, q[k]])])));
}
function sortedKeysJson(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  const value = JSON.parse(text) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const object = value as Record<string, unknown>;
  return JSON.stringify(Object.fromEntries(Object.keys(object).sort().map((k) => [k, object[k]])));
}
const compactJson = (text: unknown): unknown => (typeof text === 'string' ? JSON.stringify(JSON.parse(text)) : text);

/**
 * Completes one raw SQL row (in column order) in place: parses the theme lists, turns 0/1
 * into booleans, writes the JSON columns in one form (see evidenceJson), and derives
 * reviewers, standing flags and agreement from the review history. The trailing value (index
 * `columns.length`) is the codebook id.
 */
export function shapeRow(raw: unknown[], at: ReturnType<typeof positions>): ExportRow {
  const row = raw as ExportRow;
  for (const k of at.themes) row[k] = themeList(raw[k]);
  for (const k of at.bools) row[k] = raw[k] === null ? null : raw[k] === 1;
  for (const k of at.evidence) row[k] = evidenceJson(raw[k]) as ExportRow[number];
  if (at.suggestions >= 0) row[at.suggestions] = compactJson(raw[at.suggestions]) as ExportRow[number];
  if (at.metadata >= 0) row[at.metadata] = sortedKeysJson(raw[at.metadata]) as ExportRow[number];
  const history = raw[at.reviews];
  if (typeof history !== 'string') {
    row[at.reviewers] = [];
    return row;
  }
  const reviews = JSON.parse(history) as RawReview[];
  const { standing, latest } = standingByReviewer(reviews);
  const labelled = latest.map((r) => r.label).filter((l): l is string => l !== null);
  row[at.reviews] = JSON.stringify(reviews.map((r) => ({ ...r, standing: standing.has(r.id) })));
  row[at.reviewers] = [...new Set(reviews.filter((r) => standing.has(r.id) && DECISION_ACTIONS.has(r.action)).map((r) => r.reviewer))];
  row[at.agreement] = labelled.length >= 2 ? percentAgreement([labelled]) : null;
  return row;
}

/**
 * Steps the plan's statement row by row (as arrays, in column order). The caller must finish
 * or `return()` the generator so the statement is released: better-sqlite3 keeps the
 * connection busy while iterating.
 */
export function* iterateRows(sqlite: Database.Database, plan: ExportPlan): Generator<ExportRow> {
  const at = positions(plan.columns);
  const statement = sqlite.prepare(plan.sql).raw(true);
  for (const raw of statement.iterate(...plan.params) as IterableIterator<unknown[]>) yield shapeRow(raw, at);
}
