import type Database from 'better-sqlite3';
import { getTableName, is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import type { MigrationInfo } from '../migrate.ts';
import { diffShapes, pgDatabaseShape, sqliteDatabaseShape } from '../parity.ts';
import { applyPgMigrations, type PgDb } from './client.ts';
import * as pgSchema from './schema/index.ts';

/** Where a copy is: the table being copied, its rows so far, and the rows of every table together. */
export interface CopyProgress {
  table: string;
  tableDone: number;
  tableTotal: number;
  done: number;
  total: number;
}

/** What a copy did. */
export interface CopyReport {
  /** PostgreSQL migrations applied to the target before copying. */
  migrations: MigrationInfo[];
  /** Rows copied per table, in the order the tables were copied (parents before children). */
  tables: { table: string; rows: number }[];
  rows: number;
}

export interface CopyOptions {
  /** Rows per INSERT at most (fewer for wide tables: PostgreSQL takes 65,535 parameters per statement). */
  batchRows?: number;
  onProgress?: (p: CopyProgress) => void;
}

/** Why a copy was refused before anything was written (a target that is not empty, schemas out of step). */
export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefusedError';
  }
}

const MAX_PARAMETERS = 65_535;

/** Every table of the PostgreSQL schema. */
export function pgTables(): PgTable[] {
  return (Object.values(pgSchema) as unknown[]).filter((v): v is PgTable => is(v, PgTable));
}

/**
 * Copies every table of a migrated SQLite database into an empty PostgreSQL database: applies the
 * PostgreSQL migrations, checks both catalogues have the same shape, then copies the tables
 * parents first, in batches, inside one transaction — a failure leaves the target as it was
 * (migrated, empty) — checks each table's row count, and moves every identity sequence past the
 * copied ids so the next insert gets a fresh one. SQLite is read in one read transaction, so the
 * copy is one consistent snapshot. Values keep their meaning: SQLite's 0/1 flags
 * become booleans, JSON text becomes jsonb, ISO times become timestamps, blobs bytea.
 */
export async function copySqliteToPg(sqlite: Database.Database, target: PgDb, options: CopyOptions = {}): Promise<CopyReport> {
  await refuseForeignTables(target.$client);
  const migrations = await applyPgMigrations(target);
  const drift = diffShapes(sqliteDatabaseShape(sqlite), await pgDatabaseShape(target.$client));
  if (drift.length > 0) throw new CopyRefusedError(`the SQLite and PostgreSQL schemas differ (${drift.length}: ${drift.slice(0, 3).join('; ')}${drift.length > 3 ? '; ...' : ''}); upgrade Framescope so both are at the same version`);
  const tables = tablesParentsFirst();
  const client = await target.$client.connect();
  // One read transaction on SQLite: every table is read from the same snapshot, even while
  // another process writes (WAL keeps the snapshot until the end).
  sqlite.exec('BEGIN');
  try {
    await refuseData(client, tables);
    const counts = tables.map((t) => (sqlite.prepare(`SELECT count(*) AS n FROM "${t.name}"`).get() as { n: number }).n);
    const total = counts.reduce((a, b) => a + b, 0);
    let done = 0;
    const report: CopyReport['tables'] = [];
    await client.query('BEGIN');
    for (const [i, table] of tables.entries()) {
      const tableTotal = counts[i]!;
      let tableDone = 0;
      options.onProgress?.({ table: table.name, tableDone, tableTotal, done, total });
      const perInsert = Math.max(1, Math.min(options.batchRows ?? 1_000, Math.floor(MAX_PARAMETERS / table.columns.length)));
      const select = sqlite.prepare(`SELECT ${table.columns.map((c) => `"${c.name}"`).join(', ')} FROM "${table.name}" ORDER BY ${table.order}`).raw(true);
      let batch: unknown[][] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        try {
          await insertBatch(client, table, batch);
        } catch (err) {
          throw new Error(`${table.name} (rows ${tableDone + 1}-${tableDone + batch.length}): ${err instanceof Error ? err.message : String(err)}`);
        }
        tableDone += batch.length;
        done += batch.length;
        batch = [];
        options.onProgress?.({ table: table.name, tableDone, tableTotal, done, total });
      };
      for (const row of select.iterate() as IterableIterator<unknown[]>) {
        batch.push(row.map((value, c) => toPg(value, table.columns[c]!)));
        if (batch.length >= perInsert) await flush();
      }
      await flush();
      const copied = Number((await client.query(`SELECT count(*) AS n FROM "${table.name}"`)).rows[0].n);
      if (copied !== tableTotal) throw new Error(`${table.name}: ${tableTotal} rows in SQLite but ${copied} in PostgreSQL after the copy`);
      if (table.identity) {
        await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max("${table.identity}") FROM "${table.name}"), 0) + 1, false)`, [table.name, table.identity]);
      }
      report.push({ table: table.name, rows: tableTotal });
    }
    await client.query('COMMIT');
    // Fresh tables have no planner statistics until autovacuum gets to them: without them the
    // first hours of serving plan every query blind (sequential scans of the largest tables).
    await client.query('ANALYZE');
    return { migrations, tables: report, rows: total };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    sqlite.exec('ROLLBACK');
    client.release();
  }
}

interface ColumnPlan {
  name: string;
  /** How a SQLite value is turned into the PostgreSQL parameter. */
  kind: 'plain' | 'boolean' | 'json' | 'bytes';
}

interface TablePlan {
  name: string;
  columns: ColumnPlan[];
  /** ORDER BY of the SELECT: the primary key, so a self-reference (documents.duplicate_of, always an earlier document) finds its row copied. */
  order: string;
  /** The identity column whose sequence is moved past the copied ids, if any. */
  identity: string | null;
}

/** The PostgreSQL tables, every table after the tables its foreign keys point to. */
function tablesParentsFirst(): TablePlan[] {
  const configs = pgTables().map((t) => getTableConfig(t));
  const byName = new Map(configs.map((c) => [c.name, c]));
  const ordered: TablePlan[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new Error(`foreign keys form a cycle: ${[...path, name].join(' -> ')}`);
    state.set(name, 'visiting');
    const config = byName.get(name)!;
    for (const fk of config.foreignKeys) {
      const parent = getTableName(fk.reference().foreignTable);
      if (parent !== name) visit(parent, [...path, name]);
    }
    state.set(name, 'done');
    const pk = config.primaryKeys[0]?.columns.map((c) => c.name) ?? config.columns.filter((c) => c.primary).map((c) => c.name);
    ordered.push({
      name,
      columns: config.columns.map((c) => ({
        name: c.name,
        kind: c.columnType === 'PgBoolean' ? 'boolean' : c.columnType === 'PgJsonb' ? 'json' : c.getSQLType() === 'bytea' ? 'bytes' : 'plain',
      })),
      order: (pk.length ? pk : ['rowid']).map((c) => `"${c}"`).join(', '),
      identity: config.columns.find((c) => c.generatedIdentity !== undefined)?.name ?? null,
    });
  };
  for (const c of [...configs].sort((a, b) => a.name.localeCompare(b.name))) visit(c.name, []);
  return ordered;
}

function toPg(value: unknown, column: ColumnPlan): unknown {
  if (value === null) return null;
  if (column.kind === 'boolean') return value === 1 || value === 1n || value === true;
  // JSON text goes over as text and PostgreSQL parses it into jsonb: nothing is reparsed here.
  if (column.kind === 'bytes') return Buffer.isBuffer(value) ? value : Buffer.from(String(value));
  if (typeof value === 'bigint') return value.toString();
  return value;
}

async function insertBatch(client: pg.PoolClient, table: TablePlan, rows: unknown[][]): Promise<void> {
  const width = table.columns.length;
  const values = rows.map((_, r) => `(${table.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
  await client.query(`INSERT INTO "${table.name}" (${table.columns.map((c) => `"${c.name}"`).join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${values}`, rows.flat());
}

/** Refuses a target that holds tables of something else (its migrations would collide with them). */
async function refuseForeignTables(client: pg.Pool): Promise<void> {
  const ours = new Set<string>(pgTables().map((t) => getTableName(t)));
  const found = await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
  const foreign = found.rows.map((r) => r.table_name).filter((t) => !ours.has(t));
  if (foreign.length > 0) throw new CopyRefusedError(`the target database is not empty: it holds ${foreign.length} table(s) that are not Framescope's (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', ...' : ''}); give an empty database`);
}

/** Refuses a target whose Framescope tables already hold rows (a second copy would mix two databases). */
async function refuseData(client: pg.PoolClient, tables: TablePlan[]): Promise<void> {
  const filled: string[] = [];
  for (const t of tables) {
    const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM "${t.name}") AS filled`);
    if (rows[0].filled) filled.push(t.name);
  }
  if (filled.length > 0) {
    const named = `${filled.slice(0, 5).join(', ')}${filled.length > 5 ? `, and ${filled.length - 5} more` : ''}`;
    throw new CopyRefusedError(`the target database is not empty: ${filled.length} Framescope table(s) already hold rows (${named}); give an empty database (createdb NAME): migrate --to never merges two databases`);
  }
}
