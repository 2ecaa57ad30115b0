import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db, type DbOrTx } from './client.ts';
import { bound, jsonText, perConnection } from './prepared.ts';
import { settings, sources } from './schema/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fileDb(): { path: string; open: () => Db } {
  const dir = mkdtempSync(join(tmpdir(), 'framescope-prepared-'));
  dirs.push(dir);
  const path = join(dir, 'test.db');
  return { path, open: () => openDb(path) };
}

/** Prepared source queries, and how many times a set was built. */
function sourceQueries() {
  const builds: DbOrTx[] = [];
  const queries = perConnection((db) => {
    builds.push(db);
    return {
      byName: db.select({ id: sources.id, name: sources.name, country: sources.country }).from(sources).where(eq(sources.name, sql.placeholder('name'))).prepare(),
      all: db.select({ name: sources.name }).from(sources).orderBy(asc(sources.id)).prepare(),
      rename: db.update(sources).set({ name: bound('to') }).where(eq(sources.id, sql.placeholder('id'))).prepare(),
    };
  });
  return { queries, builds };
}

describe('queries prepared once per connection', () => {
  it('builds a connection its set once, and hands the same set to its transactions, which see their own writes', () => {
    const db = openDb(':memory:');
    const { queries, builds } = sourceQueries();
    const q = queries(db);
    db.transaction((tx) => {
      expect(queries(tx)).toBe(q);
      tx.insert(sources).values({ name: 'Le Monde', country: 'FR' }).run();
      expect(queries(tx).byName.get({ name: 'Le Monde' })).toMatchObject({ name: 'Le Monde', country: 'FR' });
    });
    expect(queries(db)).toBe(q);
    expect(builds).toHaveLength(1);
    expect(q.byName.get({ name: 'Le Monde' })).toMatchObject({ name: 'Le Monde', country: 'FR' });
    expect(q.byName.get({ name: 'Die Zeit' })).toBeUndefined();
  });

  it('rolls back with the transaction it ran in', () => {
    const db = openDb(':memory:');
    const { queries } = sourceQueries();
    const id = db.insert(sources).values({ name: 'El País' }).returning().get().id;
    expect(() =>
      db.transaction((tx) => {
        queries(tx).rename.run({ id, to: 'El Pais (renamed)' });
        expect(queries(tx).all.all()).toEqual([{ name: 'El Pais (renamed)' }]);
        throw new Error('abandon');
      }),
    ).toThrow('abandon');
    expect(queries(db).all.all()).toEqual([{ name: 'El País' }]);
  });

  it('keeps connections apart: each builds its own set, and each reads what the other committed', () => {
    const file = fileDb();
    const a = file.open();
    const b = file.open();
    const { queries, builds } = sourceQueries();
    expect(queries(a)).not.toBe(queries(b));
    expect(builds).toHaveLength(2);
    a.insert(sources).values({ name: 'The Guardian', country: 'GB' }).run();
    expect(queries(b).byName.get({ name: 'The Guardian' })).toMatchObject({ name: 'The Guardian', country: 'GB' });
    queries(b).rename.run({ id: queries(b).byName.get({ name: 'The Guardian' })!.id, to: 'Guardian' });
    expect(queries(a).all.all()).toEqual([{ name: 'Guardian' }]);
    a.$client.close();
    b.$client.close();
  });

  it('still answers right after the schema changed under its statements, on this connection or another', () => {
    const file = fileDb();
    const db = file.open();
    const other = file.open();
    const { queries } = sourceQueries();
    db.insert(sources).values([{ name: 'NZZ', country: 'CH' }, { name: 'Le Soir', country: 'BE' }]).run();
    expect(queries(db).byName.get({ name: 'NZZ' })).toMatchObject({ name: 'NZZ', country: 'CH' });
    // A column added in front of what the query reads, and an index it can now use.
    db.$client.exec("ALTER TABLE sources ADD COLUMN note TEXT DEFAULT 'x'; CREATE INDEX sources_country_test_idx ON sources (country)");
    expect(queries(db).byName.get({ name: 'NZZ' })).toMatchObject({ name: 'NZZ', country: 'CH' });
    expect(queries(db).all.all()).toEqual([{ name: 'NZZ' }, { name: 'Le Soir' }]);
    // The other connection learns of the change only from the file.
    other.$client.exec('DROP INDEX sources_country_test_idx');
    expect(queries(db).byName.get({ name: 'Le Soir' })).toMatchObject({ name: 'Le Soir', country: 'BE' });
    db.$client.close();
    other.$client.close();
  });

  it('builds a fresh set for a database opened again after its connection closed', () => {
    const file = fileDb();
    const first = file.open();
    const { queries, builds } = sourceQueries();
    first.insert(sources).values({ name: 'Delo' }).run();
    expect(queries(first).all.all()).toEqual([{ name: 'Delo' }]);
    first.$client.close();
    const again = file.open();
    expect(queries(again).all.all()).toEqual([{ name: 'Delo' }]);
    expect(builds).toHaveLength(2);
    again.$client.close();
  });

  it('stores a JSON value bound with jsonText as drizzle does: null as NULL, anything else as its JSON text', () => {
    const db = openDb(':memory:');
    const put = perConnection((d) => d.insert(settings).values({ key: sql.placeholder('key'), value: bound('value') }).prepare());
    put(db).run({ key: 'a', value: jsonText({ overlap: 2, blind: false }) });
    put(db).run({ key: 'b', value: jsonText(['x', 'y']) });
    expect(db.$client.prepare('SELECT key, value FROM settings WHERE key IN (?, ?) ORDER BY key').all('a', 'b')).toEqual([
      { key: 'a', value: '{"overlap":2,"blind":false}' },
      { key: 'b', value: '["x","y"]' },
    ]);
    expect(db.select().from(settings).where(eq(settings.key, 'a')).get()).toEqual({ key: 'a', value: { overlap: 2, blind: false } });
    expect(jsonText(null)).toBeNull();
    expect(jsonText(undefined)).toBeNull();
  });
});
