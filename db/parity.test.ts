import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from './client.ts';
import { declaredShape, diffShapes, pgDatabaseShape, sqliteDatabaseShape, type SchemaShape } from './parity.ts';
import { createMigratedPgDb, describePg } from './pg/testing.ts';
import * as pgSchema from './pg/schema/index.ts';
import * as sqliteSchema from './schema/index.ts';

describe('schema parity of the SQLite and PostgreSQL table builders', () => {
  it('declares the same tables, columns, keys, indexes and foreign keys on both dialects', () => {
    const sqlite = declaredShape(sqliteSchema);
    expect(Object.keys(sqlite)).toEqual(expect.arrayContaining(['items', 'jobs', 'reviews', 'suggestions', 'source_rollups', 'local_models']));
    expect(diffShapes(sqlite, declaredShape(pgSchema))).toEqual([]);
  });

  it('reports a column added to one side only, and an index whose uniqueness differs', () => {
    const sqlite = declaredShape(sqliteSchema);
    const users = pgTable('users', { id: integer('id').primaryKey(), name: text('name').notNull().unique(), role: text('role', { enum: ['admin', 'reviewer', 'import'] }).notNull(), passwordHash: text('password_hash'), active: integer('active').notNull(), createdAt: text('created_at').notNull(), nickname: text('nickname') });
    const diff = diffShapes({ users: sqlite.users! }, declaredShape({ users }));
    expect(diff).toEqual(['column users.nickname exists only on postgres', 'users.active: boolean on sqlite, integer on postgres']);
    const loose: SchemaShape = { users: { ...sqlite.users!, indexes: { users_name_unique: { columns: ['name'], unique: false, partial: false } } } };
    expect(diffShapes({ users: sqlite.users! }, loose, 'sqlite', 'edited')).toEqual(['index users.users_name_unique: unique (name) on sqlite, (name) on edited']);
  });

  it('matches what the SQLite migrations build (the committed SQL agrees with the table builders)', () => {
    const db = openDb(':memory:');
    const built = sqliteDatabaseShape(db.$client);
    db.$client.close();
    const declared = declaredShape(sqliteSchema);
    // The catalogue knows storage classes, not TypeScript modes: compare everything but the families and enum lists.
    const strip = (shape: SchemaShape) =>
      Object.fromEntries(Object.entries(shape).map(([name, t]) => [name, { columns: Object.fromEntries(Object.entries(t.columns).map(([c, v]) => [c, v.nullable])), primaryKey: t.primaryKey, indexes: t.indexes }]));
    expect(strip(built)).toEqual(strip(declared));
  });
});

describePg('schema parity of the migrated SQLite and PostgreSQL databases', (serverUrl) => {
  let pg: Awaited<ReturnType<typeof createMigratedPgDb>>;
  beforeAll(async () => {
    pg = await createMigratedPgDb(serverUrl);
  });
  afterAll(async () => {
    await pg?.close();
  });

  it('has the same tables, columns (nullability, storage family), primary keys and indexes in both catalogues', async () => {
    const db = openDb(':memory:');
    const sqlite = sqliteDatabaseShape(db.$client);
    db.$client.close();
    const postgres = await pgDatabaseShape(pg.db.$client);
    expect(Object.keys(postgres).sort()).toEqual(Object.keys(sqlite).sort());
    expect(diffShapes(sqlite, postgres)).toEqual([]);
  });

  it('refuses a status outside the shared vocabulary (the enum CHECKs)', async () => {
    await expect(pg.db.$client.query(`INSERT INTO users (name, role) VALUES ('x', 'superuser')`)).rejects.toThrow(/users_role_check/);
  });
});
