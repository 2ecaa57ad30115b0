import type Database from 'better-sqlite3';
import { getTableName, is, Table } from 'drizzle-orm';
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';

/**
 * The shape of a schema that both dialects must share: per table, its columns (nullability and
 * a type family), its primary key, its indexes and unique constraints, its foreign keys. Types
 * are compared as families, not names: each PostgreSQL type is mapped to the SQLite storage
 * class its values have on the other side (timestamp, date and jsonb are text there, boolean
 * and bigint are integers), so a deliberate mapping passes and a changed meaning does not.
 */
export interface SchemaShape {
  [table: string]: TableShape;
}

export interface TableShape {
  columns: Record<string, { nullable: boolean; family: string; enumValues?: readonly string[] }>;
  primaryKey: string[];
  indexes: Record<string, { columns: string[]; unique: boolean; partial: boolean }>;
  /** `columns -> table(columns) on delete ACTION`, sorted; only known from the table configs. */
  foreignKeys?: string[];
}

/** Families of drizzle's column classes (the declared schema: what TypeScript sees). */
const CONFIG_FAMILY: Record<string, string> = {
  SQLiteInteger: 'integer',
  SQLiteBoolean: 'boolean',
  SQLiteText: 'text',
  SQLiteTextJson: 'json',
  SQLiteReal: 'real',
  SQLiteBlobBuffer: 'blob',
  PgInteger: 'integer',
  PgBigInt53: 'integer',
  PgBoolean: 'boolean',
  PgText: 'text',
  PgJsonb: 'json',
  PgDoublePrecision: 'real',
  PgDateString: 'text',
};

/** Families of the PostgreSQL custom types in db/pg/columns.ts, by their SQL type. */
const CUSTOM_FAMILY: Record<string, string> = { 'timestamp(3) with time zone': 'text', bytea: 'blob' };

/** Families of the types a migrated database reports: SQLite's declared types, PostgreSQL's data_type. */
const DATABASE_FAMILY: Record<string, string> = {
  integer: 'integer',
  text: 'text',
  real: 'real',
  blob: 'blob',
  bigint: 'integer',
  boolean: 'integer',
  'double precision': 'real',
  'timestamp with time zone': 'text',
  date: 'text',
  jsonb: 'text',
  bytea: 'blob',
};

/** The declared shape of a drizzle schema module (every exported SQLite or PostgreSQL table). */
export function declaredShape(schema: Record<string, unknown>): SchemaShape {
  const shape: SchemaShape = {};
  for (const value of Object.values(schema)) {
    if (!is(value, Table)) continue;
    const config = is(value, SQLiteTable) ? sqliteTableConfig(value) : is(value, PgTable) ? pgTableConfig(value) : null;
    if (!config) continue;
    const table: TableShape = { columns: {}, primaryKey: [], indexes: {}, foreignKeys: [] };
    for (const column of config.columns) {
      const custom = column.columnType === 'PgCustomColumn' ? CUSTOM_FAMILY[column.getSQLType()] : undefined;
      const family = custom ?? CONFIG_FAMILY[column.columnType] ?? `unmapped ${column.columnType} ${column.getSQLType()}`;
      table.columns[column.name] = { nullable: !column.notNull, family, ...(column.enumValues?.length ? { enumValues: column.enumValues } : {}) };
      if (column.primary) table.primaryKey = [column.name];
      if (column.isUnique) table.indexes[column.uniqueName!] = { columns: [column.name], unique: true, partial: false };
    }
    for (const pk of config.primaryKeys) table.primaryKey = pk.columns.map((c) => c.name);
    for (const index of config.indexes) {
      const c = index.config;
      table.indexes[c.name!] = { columns: c.columns.map((col) => ('name' in col ? String(col.name) : 'expression')), unique: c.unique, partial: c.where !== undefined };
    }
    for (const unique of config.uniqueConstraints) {
      table.indexes[unique.getName()!] = { columns: unique.columns.map((c) => c.name), unique: true, partial: false };
    }
    table.foreignKeys = config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return `${ref.columns.map((c) => c.name).join(',')} -> ${getTableName(ref.foreignTable)}(${ref.foreignColumns.map((c) => c.name).join(',')}) on delete ${fk.onDelete ?? 'no action'}`;
      })
      .sort();
    shape[config.name] = table;
  }
  return shape;
}

/** The shape of a migrated SQLite database, from its catalogue (PRAGMA table_info, index_list, index_info). */
export function sqliteDatabaseShape(sqlite: Database.Database): SchemaShape {
  const shape: SchemaShape = {};
  const tables = sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name`).all() as { name: string }[];
  for (const { name } of tables) {
    const table: TableShape = { columns: {}, primaryKey: [], indexes: {} };
    const columns = sqlite.prepare(`SELECT name, type, "notnull" AS required, pk FROM pragma_table_info(?)`).all(name) as { name: string; type: string; required: number; pk: number }[];
    for (const c of columns) table.columns[c.name] = { nullable: c.required === 0 && c.pk === 0, family: DATABASE_FAMILY[c.type.toLowerCase()] ?? `unmapped ${c.type}` };
    table.primaryKey = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    const indexes = sqlite.prepare(`SELECT name, "unique" AS isUnique, origin, partial FROM pragma_index_list(?)`).all(name) as { name: string; isUnique: number; origin: string; partial: number }[];
    for (const index of indexes) {
      if (index.origin === 'pk') continue;
      const cols = (sqlite.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(index.name) as { name: string }[]).map((c) => c.name);
      table.indexes[index.name] = { columns: cols, unique: index.isUnique === 1, partial: index.partial === 1 };
    }
    shape[name] = table;
  }
  return shape;
}

/** The shape of a migrated PostgreSQL database's `public` schema (information_schema and pg_index). */
export async function pgDatabaseShape(client: pg.Pool | pg.PoolClient): Promise<SchemaShape> {
  const shape: SchemaShape = {};
  const columns = await client.query<{ table_name: string; column_name: string; is_nullable: string; data_type: string }>(
    `SELECT table_name, column_name, is_nullable, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  for (const c of columns.rows) {
    const table = (shape[c.table_name] ??= { columns: {}, primaryKey: [], indexes: {} });
    table.columns[c.column_name] = { nullable: c.is_nullable === 'YES', family: DATABASE_FAMILY[c.data_type] ?? `unmapped ${c.data_type}` };
  }
  const indexes = await client.query<{ table_name: string; index_name: string; is_unique: boolean; is_primary: boolean; partial: boolean; columns: string[] }>(
    `SELECT t.relname AS table_name, i.relname AS index_name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
            ix.indpred IS NOT NULL AS partial,
            array(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
       FROM pg_index ix
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'public'`,
  );
  for (const index of indexes.rows) {
    const table = shape[index.table_name];
    if (!table) continue;
    if (index.is_primary) table.primaryKey = index.columns;
    else table.indexes[index.index_name] = { columns: index.columns, unique: index.is_unique, partial: index.partial };
  }
  return shape;
}

/**
 * Every difference between two shapes, one line each (`items.chars: nullable on sqlite, not
 * null on postgres`); empty when they agree. `a` and `b` name the sides in the messages.
 */
export function diffShapes(left: SchemaShape, right: SchemaShape, a = 'sqlite', b = 'postgres'): string[] {
  const out: string[] = [];
  const only = (names: string[], other: object, side: string, what: string) => names.filter((n) => !(n in other)).forEach((n) => out.push(`${what}${n} exists only on ${side}`));
  only(Object.keys(left), right, a, 'table ');
  only(Object.keys(right), left, b, 'table ');
  for (const name of Object.keys(left).filter((n) => n in right).sort()) {
    const l = left[name]!;
    const r = right[name]!;
    only(Object.keys(l.columns), r.columns, a, `column ${name}.`);
    only(Object.keys(r.columns), l.columns, b, `column ${name}.`);
    for (const col of Object.keys(l.columns).filter((c) => c in r.columns)) {
      const lc = l.columns[col]!;
      const rc = r.columns[col]!;
      if (lc.nullable !== rc.nullable) out.push(`${name}.${col}: ${lc.nullable ? 'nullable' : 'not null'} on ${a}, ${rc.nullable ? 'nullable' : 'not null'} on ${b}`);
      if (lc.family !== rc.family) out.push(`${name}.${col}: ${lc.family} on ${a}, ${rc.family} on ${b}`);
      if (JSON.stringify(lc.enumValues ?? null) !== JSON.stringify(rc.enumValues ?? null)) out.push(`${name}.${col}: values ${JSON.stringify(lc.enumValues ?? null)} on ${a}, ${JSON.stringify(rc.enumValues ?? null)} on ${b}`);
    }
    if (l.primaryKey.join(',') !== r.primaryKey.join(',')) out.push(`${name}: primary key (${l.primaryKey.join(', ')}) on ${a}, (${r.primaryKey.join(', ')}) on ${b}`);
    only(Object.keys(l.indexes), r.indexes, a, `index ${name}.`);
    only(Object.keys(r.indexes), l.indexes, b, `index ${name}.`);
    for (const idx of Object.keys(l.indexes).filter((i) => i in r.indexes)) {
      const li = l.indexes[idx]!;
      const ri = r.indexes[idx]!;
      const describe = (i: typeof li) => `${i.unique ? 'unique ' : ''}${i.partial ? 'partial ' : ''}(${i.columns.join(', ')})`;
      if (describe(li) !== describe(ri)) out.push(`index ${name}.${idx}: ${describe(li)} on ${a}, ${describe(ri)} on ${b}`);
    }
    if (l.foreignKeys && r.foreignKeys && l.foreignKeys.join('|') !== r.foreignKeys.join('|')) {
      out.push(`${name}: foreign keys [${l.foreignKeys.join('; ')}] on ${a}, [${r.foreignKeys.join('; ')}] on ${b}`);
    }
  }
  return out;
}
