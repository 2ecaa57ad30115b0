// The PostgreSQL side of the synchronous driver (db/pg/sync/driver.ts): a worker thread that
// owns the pg connections and answers one request at a time while the calling thread waits
// (synckit: Atomics.wait on a shared buffer, the answer read with receiveMessageOnPort). Plain
// JavaScript so the thread needs no TypeScript loader.
import { createHash } from 'node:crypto';
import { runAsWorker } from 'synckit';
import pg from 'pg';

/** Result types read back as SQLite's connection would give them (see driver.ts). */
const { builtins } = pg.types;
const identity = (value) => value;
const parsers = new Map([
  [builtins.INT8, (value) => Number(value)],
  [builtins.NUMERIC, (value) => Number(value)],
  [builtins.BOOL, (value) => (value === 't' ? 1 : 0)],
  [builtins.TIMESTAMPTZ, toIsoString],
  [builtins.TIMESTAMP, toIsoString],
  [builtins.DATE, identity],
  [builtins.JSON, identity],
  [builtins.JSONB, identity],
]);
const types = {
  getTypeParser(oid, format) {
    return parsers.get(oid) ?? pg.types.getTypeParser(oid, format);
  },
};

/** `2024-10-15 09:30:00.123+00` as `2024-10-15T09:30:00.123Z`. */
function toIsoString(value) {
  const at = new Date(value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}

let nextId = 1;
/** Open connections by id, each with the cursors declared on it. */
const connections = new Map();
const cursors = new Map();

/**
 * A connection in UTC with ISO dates, so a time cast to text in SQL reads as the app's own
 * values do whatever the server's defaults are. A connection the server dropped (a restart, a
 * failover) is marked broken and replaced at its next statement outside a transaction (inside
 * one, the transaction is lost and the statement fails, as it would on SQLite's lost file).
 */
async function open(url, applicationName) {
  const client = new pg.Client({ connectionString: url, types, application_name: applicationName, options: '-c TimeZone=UTC -c DateStyle=ISO,YMD' });
  client.on('error', () => {
    client.broken = true;
  });
  client.on('end', () => {
    client.broken = true;
  });
  await client.connect();
  return client;
}

async function connect(url, applicationName) {
  const client = await open(url, applicationName);
  const id = nextId++;
  connections.set(id, { client, url, applicationName });
  return id;
}

async function clientOf(id, inTransaction = true) {
  const connection = connections.get(id);
  if (!connection) throw Object.assign(new Error('the PostgreSQL connection is closed'), { code: 'FRAMESCOPE_CLOSED' });
  if (connection.client.broken && !inTransaction) {
    connection.client.end().catch(() => {});
    connection.client = await open(connection.url, connection.applicationName);
  }
  return connection.client;
}

/**
 * Parameterised statements are named prepared statements, parsed and planned once per
 * connection: the app sends the same few hundred texts over and over (a review decision is
 * some 200 statements, its rollup deltas), and PostgreSQL would otherwise parse and plan each
 * one every time. The name is the text's hash, so one name is always one text. A connection
 * keeps at most MAX_NAMED of them (texts built with a varying number of placeholders, such as
 * `IN (?, ?, ...)` lists, would otherwise pile up); past that, statements go unnamed as before.
 * Prepared statements outlive a rolled-back transaction and die with their connection, so a
 * replaced connection (clientOf) starts with none.
 */
const MAX_NAMED = 2_000;
function statementName(client, text, values) {
  if (!values || values.length === 0) return undefined; // unparameterised texts may hold several statements (simple protocol)
  client.framescopeNamed ??= new Set();
  const name = `fs_${createHash('sha1').update(text).digest('hex')}`;
  if (client.framescopeNamed.has(name)) return name;
  if (client.framescopeNamed.size >= MAX_NAMED) return undefined;
  client.framescopeNamed.add(name);
  return name;
}

/** Rows, row count, the command and the column names of one statement. */
function shape(result, array) {
  return {
    rows: result.rows,
    rowCount: result.rowCount ?? 0,
    command: result.command,
    columns: result.fields.map((f) => f.name),
    binary: binaryColumns(result.fields),
  };
}

/** Which columns hold bytea: their Buffers cross the thread as Uint8Arrays and are revived there. */
function binaryColumns(fields) {
  return fields.flatMap((f, i) => (f.dataTypeID === builtins.BYTEA ? [i] : []));
}

/** Errors cross the thread as plain data: message, SQLSTATE and the server's detail. */
function plain(err) {
  if (err && typeof err === 'object') {
    return Object.assign(new Error(err.message), {
      code: err.code,
      detail: err.detail,
      hint: err.hint,
      position: err.position,
      constraint: err.constraint,
    });
  }
  return new Error(String(err));
}

const operations = {
  connect: ({ url, applicationName }) => connect(url, applicationName),

  async query({ id, text, values, array, inTransaction }) {
    const client = await clientOf(id, inTransaction);
    const result = await client.query({ name: statementName(client, text, values), text, values, rowMode: array ? 'array' : undefined });
    return shape(Array.isArray(result) ? result[result.length - 1] : result, array);
  },

  /** Several statements in one text, no parameters (simple protocol). */
  async exec({ id, text, inTransaction }) {
    await (await clientOf(id, inTransaction)).query(text);
    return null;
  },

  /**
   * Opens a cursor for `iterate`: inside the caller's transaction on its own connection (so it
   * reads what the transaction wrote), otherwise on a connection of its own inside a read-only
   * REPEATABLE READ transaction, so a long read sees one snapshot as SQLite's reader does.
   */
  async cursorOpen({ id, text, values, array, inTransaction, url, applicationName }) {
    const name = `framescope_cursor_${nextId++}`;
    let client = await clientOf(id, inTransaction);
    let own = false;
    if (!inTransaction) {
      client = await open(url, applicationName);
      own = true;
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    }
    try {
      await client.query({ text: `DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, values });
    } catch (err) {
      if (own) await client.end().catch(() => {});
      throw err;
    }
    const cid = nextId++;
    cursors.set(cid, { client, name, own, array });
    return cid;
  },

  async cursorRead({ cid, count }) {
    const cursor = cursors.get(cid);
    if (!cursor) return { rows: [], columns: [], done: true };
    const result = await cursor.client.query({ text: `FETCH ${count} FROM ${cursor.name}`, rowMode: cursor.array ? 'array' : undefined });
    return { rows: result.rows, columns: result.fields.map((f) => f.name), binary: binaryColumns(result.fields), done: result.rows.length < count };
  },

  async cursorClose({ cid }) {
    const cursor = cursors.get(cid);
    if (!cursor) return null;
    cursors.delete(cid);
    if (cursor.own) {
      await cursor.client.query('COMMIT').catch(() => {});
      await cursor.client.end().catch(() => {});
    } else {
      await cursor.client.query(`CLOSE ${cursor.name}`).catch(() => {});
    }
    return null;
  },

  /**
   * A fresh database for a test: a copy of a template migrated once per set of migrations (its
   * name carries their hash), made under an advisory lock so parallel test files take turns.
   */
  async createDatabase({ serverUrl, name, template, migrationsFolder }) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query('SELECT pg_advisory_lock(1718775140)');
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
      if (exists.rowCount === 0) {
        await admin.query(`CREATE DATABASE ${template}`);
        const url = new URL(serverUrl);
        url.pathname = `/${template}`;
        const { drizzle } = await import('drizzle-orm/node-postgres');
        const { migrate } = await import('drizzle-orm/node-postgres/migrator');
        const client = new pg.Client({ connectionString: url.toString() });
        await client.connect();
        try {
          await migrate(drizzle(client), { migrationsFolder });
        } catch (err) {
          await client.end().catch(() => {});
          await admin.query(`DROP DATABASE IF EXISTS ${template}`);
          throw err;
        }
        await client.end();
      }
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(1718775140)').catch(() => {});
      await admin.end().catch(() => {});
    }
    return null;
  },

  /** Applies the committed migrations the database lacks (drizzle's node-postgres migrator). */
  async migrate({ url, migrationsFolder }) {
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      await client.end().catch(() => {});
    }
    return null;
  },

  /**
   * Drops a test's database unless something still has it open (a job thread's late heartbeat,
   * a child process not yet gone): forcing it would turn their next statement into an uncaught
   * connection error; a database left behind lives only as long as the throwaway test server.
   */
  async dropDatabase({ serverUrl, name }) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    } catch (err) {
      if (err?.code !== '55006') throw err; // object_in_use: still open elsewhere
    } finally {
      await admin.end().catch(() => {});
    }
    return null;
  },

  async close({ id }) {
    const connection = connections.get(id);
    connections.delete(id);
    if (connection) await connection.client.end().catch(() => {});
    return null;
  },
};

runAsWorker(async (operation, args) => {
  const run = operations[operation];
  if (!run) throw new Error(`unknown operation ${operation}`);
  try {
    return await run(args);
  } catch (err) {
    throw plain(err);
  }
});
