import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { createSyncFn } from 'synckit';
import * as schema from '../../schema/index.ts';
import { redactUrl } from '../../dialect.ts';

/**
 * PostgreSQL behind better-sqlite3's synchronous interface.
 *
 * The app's services are synchronous: on SQLite a transaction runs start to finish without
 * yielding, so no other request can see or interleave with it. This driver keeps that contract
 * on PostgreSQL: each statement is handed to a worker thread that owns the pg connection, and
 * the calling thread waits for the answer (synckit: Atomics.wait on a shared buffer). The
 * services, drizzle's better-sqlite3 session and the raw `prepare` callers run unchanged; only
 * the SQL fragments that differ between the engines are chosen by `dialectOf` (db/sqlDialect.ts).
 *
 * What it emulates, so code above db/ cannot tell: `?` placeholders (to `$1...`), results shaped
 * as SQLite returns them (bigint and numeric as numbers, booleans as 1/0, timestamps as ISO
 * strings, json as its text), `run()`'s `changes` and `lastInsertRowid`, transactions
 * (`db.transaction(fn)` and its `.immediate/.deferred`, nested ones as savepoints), SQLite's one
 * writer at a time (a write transaction takes a transaction-scoped advisory lock, so writers on
 * every connection and process queue as SQLite's do), the pragmas the app sets, and errors as
 * `SqliteError`s with SQLite's codes (busy, read-only, constraint, full).
 */

type Operation = 'connect' | 'query' | 'exec' | 'cursorOpen' | 'cursorRead' | 'cursorClose' | 'close' | 'createDatabase' | 'dropDatabase' | 'migrate';

interface QueryResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  columns: string[];
  binary: number[];
}

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));
let callWorker: ((operation: Operation, args: Record<string, unknown>) => unknown) | undefined;

function call<T>(operation: Operation, args: Record<string, unknown>, sql?: string): T {
  callWorker ??= createSyncFn(WORKER) as (operation: Operation, args: Record<string, unknown>) => unknown;
  try {
    return callWorker(operation, args) as T;
  } catch (err) {
    throw asSqliteError(err, sql);
  }
}

/** The advisory lock a write transaction takes: the database's one writer at a time, as in SQLite. */
const WRITE_LOCK_KEY = 0x4672616d; // 'Fram'
const BEGIN_WRITE = `BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})`;
/** A reading transaction sees one snapshot throughout, as SQLite's deferred transaction does. */
const BEGIN_READ = 'BEGIN ISOLATION LEVEL REPEATABLE READ';

/** Tables with an integer `id` primary key, whose inserts report it as `lastInsertRowid`. */
const TABLES_WITH_ID = new Set(
  (Object.values(schema) as unknown[])
    .filter((value): value is SQLiteTable => is(value, SQLiteTable))
    .filter((table) => getTableColumns(table).id?.primary === true)
    .map((table) => getTableName(table)),
);

export interface PgSyncOptions {
  /** Shown in pg_stat_activity. */
  applicationName?: string;
  /** Drop the database when the connection closes (a test's throwaway database). */
  dropOnClose?: { serverUrl: string; name: string };
}

export class PgSyncDatabase {
  /** Read by `dialectOf` (db/client.ts). */
  readonly framescopeDialect = 'postgres' as const;
  readonly memory = false;
  readonly readonly = false;
  /** The URL without its password (better-sqlite3's `name` is the file path). */
  readonly name: string;
  open = true;
  inTransaction = false;
  private savepoints = 0;
  private readonly id: number;

  constructor(
    readonly url: string,
    private readonly options: PgSyncOptions = {},
  ) {
    this.name = redactUrl(url);
    this.id = call<number>('connect', { url, applicationName: options.applicationName ?? 'framescope' });
  }

  prepare(source: string): PgSyncStatement {
    this.assertOpen();
    return new PgSyncStatement(this, source);
  }

  /** Runs statements without parameters; SQLite's transaction keywords are translated as `prepare` does. */
  exec(source: string): this {
    this.assertOpen();
    const control = transactionControl(source);
    if (control) this.control(control);
    else call('exec', { id: this.id, text: source, inTransaction: this.inTransaction }, source);
    return this;
  }

  /**
   * better-sqlite3's `transaction(fn)`: a function that runs `fn` in a transaction (a savepoint
   * when one is open), committing when it returns and rolling back when it throws.
   */
  transaction<F extends (...args: never[]) => unknown>(fn: F): F & { deferred: F; immediate: F; exclusive: F; default: F } {
    const make = (begin: string) =>
      ((...args: Parameters<F>) => {
        if (this.inTransaction) return this.savepoint(() => fn(...args));
        this.control({ kind: 'begin', text: begin });
        try {
          const result = fn(...args);
          if (result instanceof Promise) throw new TypeError('Transaction function cannot return a promise');
          this.control({ kind: 'commit' });
          return result;
        } catch (err) {
          if (this.inTransaction) this.rollbackQuietly();
          throw err;
        }
      }) as F;
    const deferred = make(BEGIN_READ);
    const immediate = make(BEGIN_WRITE);
    return Object.assign(deferred, { deferred, immediate, exclusive: immediate, default: deferred });
  }

  /**
   * The pragmas the app sets are SQLite's tuning (journal, busy timeout, checkpoints, cache):
   * PostgreSQL manages its own, so they are accepted and answered as SQLite would; any other
   * pragma is refused by name rather than answered wrongly.
   */
  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const match = /^\s*([a-z_]+)\s*(?:\(([^)]*)\))?\s*(?:=\s*(.+?))?\s*;?\s*$/i.exec(source);
    const name = match?.[1]?.toLowerCase() ?? source;
    const answer = (key: string, value: unknown) => (options.simple ? value : [{ [key]: value }]);
    switch (name) {
      case 'journal_mode':
        return answer('journal_mode', 'wal');
      case 'busy_timeout':
        return match?.[3] === undefined ? answer('timeout', 5000) : [];
      case 'user_version':
        return match?.[3] === undefined ? answer('user_version', 0) : [];
      case 'foreign_keys':
        if (match?.[3] !== undefined && !/^(on|1|true)$/i.test(match[3])) throw new Error('PRAGMA foreign_keys = OFF has no PostgreSQL equivalent (its foreign keys are always checked)');
        return match?.[3] === undefined ? answer('foreign_keys', 1) : [];
      case 'synchronous':
      case 'cache_size':
      case 'wal_autocheckpoint':
      case 'temp_store':
      case 'mmap_size':
        return [];
      case 'wal_checkpoint':
        return options.simple ? 0 : [{ busy: 0, log: 0, checkpointed: 0 }];
      default:
        throw new Error(`PRAGMA ${name} is SQLite's and has no PostgreSQL equivalent here`);
    }
  }

  close(): this {
    if (!this.open) return this;
    this.open = false;
    call('close', { id: this.id });
    if (this.options.dropOnClose) call('dropDatabase', this.options.dropOnClose);
    return this;
  }

  /** better-sqlite3 features with no PostgreSQL counterpart here. */
  backup(): never {
    throw new Error('the SQLite backup API does not apply to PostgreSQL: back it up with pg_dump or the server’s own backups');
  }

  function(): never {
    throw new Error('user-defined SQL functions are SQLite-only');
  }

  /** @internal One statement, answered whole. */
  query(text: string, values: unknown[], array: boolean): QueryResult {
    this.assertOpen();
    const result = call<QueryResult>('query', { id: this.id, text, values, array, inTransaction: this.inTransaction }, text);
    if (result.binary.length > 0) reviveBinary(result, array);
    return result;
  }

  /** @internal Rows of one statement read in pages through a cursor. */
  *cursor(text: string, values: unknown[], array: boolean, page = 1000): Generator<unknown> {
    this.assertOpen();
    const cid = call<number>('cursorOpen', { id: this.id, text, values, array, inTransaction: this.inTransaction, url: this.url, applicationName: this.options.applicationName ?? 'framescope' }, text);
    try {
      for (;;) {
        const { rows, done, binary } = call<{ rows: unknown[]; done: boolean; binary: number[] }>('cursorRead', { cid, count: page }, text);
        const result = { rows, binary } as QueryResult;
        if (binary.length > 0) reviveBinary(result, array);
        yield* result.rows;
        if (done) return;
      }
    } finally {
      call('cursorClose', { cid });
    }
  }

  /** @internal Transaction keywords, from `transaction()` or from raw BEGIN/COMMIT/ROLLBACK statements. */
  control(control: TransactionControl): void {
    switch (control.kind) {
      case 'begin':
        if (this.inTransaction) throw new Database.SqliteError('cannot start a transaction within a transaction', 'SQLITE_ERROR');
        call('exec', { id: this.id, text: control.text, inTransaction: false }, control.text);
        this.inTransaction = true;
        return;
      case 'commit':
      case 'rollback': {
        // SQLite's own messages ("cannot commit - no transaction is active").
        if (!this.inTransaction) throw new Database.SqliteError(`cannot ${control.kind} - no transaction is active`, 'SQLITE_ERROR');
        const verb = control.kind.toUpperCase();
        try {
          call('exec', { id: this.id, text: verb }, verb);
        } finally {
          this.inTransaction = false;
        }
      }
    }
  }

  private savepoint<T>(fn: () => T): T {
    const name = `framescope_sp${++this.savepoints}`;
    call('exec', { id: this.id, text: `SAVEPOINT ${name}` });
    try {
      const result = fn();
      call('exec', { id: this.id, text: `RELEASE SAVEPOINT ${name}` });
      return result;
    } catch (err) {
      if (this.inTransaction) call('exec', { id: this.id, text: `ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}` });
      throw err;
    } finally {
      this.savepoints--;
    }
  }

  private rollbackQuietly(): void {
    try {
      this.control({ kind: 'rollback' });
    } catch {
      this.inTransaction = false;
    }
  }

  private assertOpen(): void {
    if (!this.open) throw new TypeError('The database connection is not open');
  }
}

/** Applies the committed PostgreSQL migrations (db/migrations-pg) the database at `url` lacks. */
export function migratePgSync(url: string, migrationsFolder: string): void {
  call('migrate', { url, migrationsFolder });
}

/**
 * A fresh database of its own on the PostgreSQL server at `serverUrl`, copied from a template
 * migrated once per set of migrations, and a connection to it that drops it when closed.
 */
export function createPgTestDatabase(serverUrl: string, migrationsFolder: string, templateName: string): PgSyncDatabase {
  const { url, name } = createPgTestDatabaseUrl(serverUrl, migrationsFolder, templateName);
  return new PgSyncDatabase(url, { applicationName: 'framescope-test', dropOnClose: { serverUrl, name } });
}

/**
 * The same fresh database, by URL only, for a process that opens it itself (a spawned server or
 * CLI); `drop` removes it (its connections are ended first).
 */
export function createPgTestDatabaseUrl(serverUrl: string, migrationsFolder: string, templateName: string): { url: string; name: string; drop(): void } {
  const name = `framescope_t${process.pid}_${randomBytes(5).toString('hex')}`;
  call('createDatabase', { serverUrl, name, template: templateName, migrationsFolder });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => void call('dropDatabase', { serverUrl, name }) };
}

/** A prepared statement with better-sqlite3's methods and modes. */
export class PgSyncStatement {
  readonly reader: boolean;
  readonly busy = false;
  private readonly text: string;
  private readonly order: (number | string)[];
  private readonly control: TransactionControl | null;
  private readonly returnsId: boolean;
  private mode: 'rows' | 'pluck' | 'raw' = 'rows';
  private bound: unknown[] | undefined;

  constructor(
    private readonly db: PgSyncDatabase,
    readonly source: string,
  ) {
    this.control = transactionControl(source);
    const translated = translatePlaceholders(source);
    const order = translated.order;
    const text = /^\s*insert\b/i.test(translated.text) ? defaultsInValues(translated.text) : translated.text;
    const insertInto = /^\s*insert\s+into\s+"?([a-z_][a-z0-9_]*)"?/i.exec(text);
    this.returnsId = !!insertInto && TABLES_WITH_ID.has(insertInto[1]!) && !/\breturning\b/i.test(text) && !/\)\s*select\b|\binsert\s+into\s+\S+\s+select\b/i.test(text);
    this.text = this.returnsId ? `${text.replace(/;\s*$/, '')} RETURNING "id"` : text;
    this.order = order;
    this.reader = /^\s*(select|with|values|explain|show)\b/i.test(text) || /\breturning\b/i.test(text);
  }

  pluck(on = true): this {
    this.mode = on ? 'pluck' : this.mode === 'pluck' ? 'rows' : this.mode;
    return this;
  }

  raw(on = true): this {
    this.mode = on ? 'raw' : this.mode === 'raw' ? 'rows' : this.mode;
    return this;
  }

  expand(on = true): this {
    if (on) throw new TypeError('expand() is not supported on PostgreSQL');
    return this;
  }

  safeIntegers(): this {
    return this;
  }

  bind(...params: unknown[]): this {
    this.bound = this.values(params);
    return this;
  }

  run(...params: unknown[]): Database.RunResult {
    if (this.control) {
      this.db.control(this.control);
      return { changes: 0, lastInsertRowid: 0 };
    }
    const result = this.db.query(this.text, this.params(params), this.returnsId);
    const last = this.returnsId ? (result.rows[result.rows.length - 1] as unknown[] | undefined)?.[0] : undefined;
    const changes = /^(INSERT|UPDATE|DELETE|MERGE)$/.test(result.command) ? result.rowCount : 0;
    return { changes, lastInsertRowid: typeof last === 'number' ? last : 0 };
  }

  get(...params: unknown[]): unknown {
    return this.shape(this.db.query(this.text, this.params(params), this.mode !== 'rows').rows)[0];
  }

  all(...params: unknown[]): unknown[] {
    return this.shape(this.db.query(this.text, this.params(params), this.mode !== 'rows').rows);
  }

  *iterate(...params: unknown[]): IterableIterator<unknown> {
    const pluck = this.mode === 'pluck';
    for (const row of this.db.cursor(this.text, this.params(params), this.mode !== 'rows')) yield pluck ? (row as unknown[])[0] : row;
  }

  columns(): never {
    throw new TypeError('columns() is not supported on PostgreSQL');
  }

  private shape(rows: unknown[]): unknown[] {
    return this.mode === 'pluck' ? rows.map((row) => (row as unknown[])[0]) : rows;
  }

  private params(params: unknown[]): unknown[] {
    if (params.length === 0 && this.bound) return this.bound;
    return this.values(params);
  }

  /** better-sqlite3's ways of passing parameters (spread, arrays, one object of named ones) as the positional list. */
  private values(params: unknown[]): unknown[] {
    const positional: unknown[] = [];
    let named: Record<string, unknown> | undefined;
    for (const param of params) {
      if (Array.isArray(param)) positional.push(...param);
      else if (param !== null && typeof param === 'object' && !Buffer.isBuffer(param) && !(param instanceof Uint8Array) && !(param instanceof Date)) named = param as Record<string, unknown>;
      else positional.push(param);
    }
    let next = 0;
    return this.order.map((ref) => {
      if (typeof ref === 'string') {
        if (!named || !(ref in named)) throw new RangeError(`Missing named parameter "${ref}"`);
        return toDriver(named[ref]);
      }
      const index = ref === -1 ? next++ : ref - 1;
      if (index >= positional.length) throw new RangeError('Too few parameter values were provided');
      return toDriver(positional[index]);
    });
  }
}

/** A value as pg should send it. */
function toDriver(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) return Buffer.from(value);
  return value;
}

/** Buffers cross the thread as Uint8Arrays: made Buffers again (SQLite's BLOBs are Buffers). */
function reviveBinary(result: Pick<QueryResult, 'rows' | 'binary' | 'columns'>, array: boolean): void {
  for (const row of result.rows as Record<string | number, unknown>[]) {
    for (const index of result.binary) {
      const key = array ? index : result.columns[index]!;
      const value = row[key];
      if (value instanceof Uint8Array) row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
}

/** SQLite's default for the app's time columns, which drizzle writes into an INSERT when the value is left out. */
const SQLITE_NOW = `(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/**
 * What drizzle's SQLite builder writes for a column an INSERT leaves out, in PostgreSQL terms:
 * `null` (SQLite then picks the next rowid for an integer key; PostgreSQL needs DEFAULT to take
 * the identity's next value, and DEFAULT is null for a column without one) and the time
 * columns' SQLite default expression (PostgreSQL's column default is `now()`). Only whole
 * values inside the VALUES list are touched, never a string or an ON CONFLICT clause.
 */
function defaultsInValues(text: string): string {
  const start = /\bvalues\s*\(/i.exec(text);
  if (!start) return text;
  const tail = /\s(on\s+conflict|returning)\b/i.exec(text.slice(start.index));
  const end = tail ? start.index + tail.index : text.length;
  const values = text
    .slice(start.index, end)
    .split(SQLITE_NOW)
    .join('DEFAULT')
    .replace(/([(,]\s*)null(?=\s*[,)])/gi, '$1DEFAULT');
  return text.slice(0, start.index) + values + text.slice(end);
}

type TransactionControl = { kind: 'begin'; text: string } | { kind: 'commit' } | { kind: 'rollback' };

/** SQLite's transaction statements (BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE], COMMIT, END, ROLLBACK) in PostgreSQL terms. */
function transactionControl(source: string): TransactionControl | null {
  const match = /^\s*(begin|commit|end|rollback)(?:\s+(deferred|immediate|exclusive))?(?:\s+transaction)?\s*;?\s*$/i.exec(source);
  if (!match) return null;
  const verb = match[1]!.toLowerCase();
  if (verb === 'begin') return { kind: 'begin', text: match[2]?.toLowerCase() === 'deferred' ? BEGIN_READ : BEGIN_WRITE };
  return verb === 'rollback' ? { kind: 'rollback' } : { kind: 'commit' };
}

/**
 * SQLite's placeholders (`?`, `?NNN`, `@name`, `:name`) as PostgreSQL's `$1...`, outside quoted
 * strings, quoted identifiers and comments. `order` says which parameter each `$n` takes: -1 the
 * next positional one, a number that positional one, a string that named one.
 */
export function translatePlaceholders(source: string): { text: string; order: (number | string)[] } {
  const order: (number | string)[] = [];
  const named = new Map<string, number>();
  let out = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < n) {
        if (source[j] === c) {
          if (source[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      out += source.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && source[i + 1] === '-') {
      const j = source.indexOf('\n', i);
      const end = j === -1 ? n : j;
      out += source.slice(i, end);
      i = end;
    } else if (c === '/' && source[i + 1] === '*') {
      const j = source.indexOf('*/', i + 2);
      const end = j === -1 ? n : j + 2;
      out += source.slice(i, end);
      i = end;
    } else if (c === '?') {
      const digits = /^\d+/.exec(source.slice(i + 1))?.[0];
      order.push(digits ? Number(digits) : -1);
      out += `$${order.length}`;
      i += 1 + (digits?.length ?? 0);
    } else if ((c === '@' || (c === ':' && source[i + 1] !== ':' && source[i - 1] !== ':')) && /[a-z_]/i.test(source[i + 1] ?? '')) {
      const name = /^[a-z_][a-z0-9_]*/i.exec(source.slice(i + 1))![0];
      let position = named.get(name);
      if (position === undefined) {
        order.push(name);
        position = order.length;
        named.set(name, position);
      }
      out += `$${position}`;
      i += 1 + name.length;
    } else {
      out += c;
      i++;
    }
  }
  return { text: out, order };
}

/** SQLite's codes for PostgreSQL's SQLSTATEs the app tells apart (db/client.ts isBusy, api/guards/database.ts). */
const CODES: Record<string, string> = {
  '23505': 'SQLITE_CONSTRAINT_UNIQUE',
  '23503': 'SQLITE_CONSTRAINT_FOREIGNKEY',
  '23502': 'SQLITE_CONSTRAINT_NOTNULL',
  '23514': 'SQLITE_CONSTRAINT_CHECK',
  '25006': 'SQLITE_READONLY',
  '40001': 'SQLITE_BUSY_SNAPSHOT',
  '40P01': 'SQLITE_BUSY',
  '55P03': 'SQLITE_BUSY',
  '53100': 'SQLITE_FULL',
  '57P01': 'SQLITE_IOERR',
  '08006': 'SQLITE_IOERR',
};

function asSqliteError(err: unknown, sql: string | undefined): Error {
  if (!(err instanceof Error)) return new Database.SqliteError(String(err), 'SQLITE_ERROR');
  const code = (err as { code?: string }).code;
  if (code === 'FRAMESCOPE_CLOSED') return new TypeError('The database connection is not open');
  if (!code || !/^[0-9A-Z]{5}$/.test(code)) return err;
  const detail = (err as { detail?: string }).detail;
  const where = sql ? ` [PostgreSQL ${code} in: ${sql.length > 400 ? `${sql.slice(0, 400)}…` : sql}]` : ` [PostgreSQL ${code}]`;
  const error = new Database.SqliteError(`${err.message}${detail ? ` (${detail})` : ''}${where}`, CODES[code] ?? (code.startsWith('23') ? 'SQLITE_CONSTRAINT' : 'SQLITE_ERROR'));
  Object.assign(error, { pgCode: code, sql });
  return error;
}
