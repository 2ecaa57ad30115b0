import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDb } from './client.ts';
import { withStatementCache } from './statements.ts';

function numbers(): Database.Database {
  const sqlite = new Database(':memory:');
  sqlite.exec('CREATE TABLE n (x INTEGER); INSERT INTO n VALUES (1), (2), (3);');
  return sqlite;
}

describe('the statement cache drizzle prepares through', () => {
  it('hands back the statement compiled for the same SQL, and a new one for other SQL', () => {
    const cached = withStatementCache(numbers());
    const first = cached.prepare('SELECT x FROM n ORDER BY x');
    expect(cached.prepare('SELECT x FROM n ORDER BY x')).toBe(first);
    expect(cached.prepare('SELECT x FROM n ORDER BY x DESC')).not.toBe(first);
  });

  it('resets a reused statement to rows as objects, whatever mode its last caller set', () => {
    const cached = withStatementCache(numbers());
    expect(cached.prepare('SELECT x FROM n ORDER BY x').raw().all()).toEqual([[1], [2], [3]]);
    expect(cached.prepare('SELECT x FROM n ORDER BY x').all()).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    expect(cached.prepare('SELECT x FROM n ORDER BY x').pluck().get()).toBe(1);
    expect(cached.prepare('SELECT x FROM n ORDER BY x').get()).toEqual({ x: 1 });
  });

  it('never hands out a statement an iterator is still stepping', () => {
    const cached = withStatementCache(numbers());
    const stepping = cached.prepare('SELECT x FROM n ORDER BY x').iterate();
    expect(stepping.next().value).toEqual({ x: 1 });
    const again = cached.prepare('SELECT x FROM n ORDER BY x');
    expect(again.all()).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    expect([...stepping]).toEqual([{ x: 2 }, { x: 3 }]);
  });

  it('keeps at most its size, dropping the least recently used', () => {
    const cached = withStatementCache(numbers(), 2);
    const a = cached.prepare('SELECT 1');
    const b = cached.prepare('SELECT 2');
    expect(cached.prepare('SELECT 1')).toBe(a);
    cached.prepare('SELECT 3');
    expect(cached.prepare('SELECT 1')).toBe(a);
    expect(cached.prepare('SELECT 2')).not.toBe(b);
  });

  it('passes everything else to the connection itself', () => {
    const sqlite = numbers();
    const cached = withStatementCache(sqlite);
    cached.pragma('user_version = 5');
    expect(sqlite.pragma('user_version', { simple: true })).toBe(5);
    expect(cached.memory).toBe(true);
    cached.transaction(() => cached.prepare('INSERT INTO n VALUES (4)').run())();
    expect(sqlite.prepare('SELECT count(*) FROM n').pluck().get()).toBe(4);
  });

  it('serves drizzle queries in both of its output modes from one statement, and leaves $client uncached', () => {
    const db = openDb(':memory:');
    const query = sql`SELECT 7 AS seven, 'x' AS letter`;
    expect(db.values(query)).toEqual([[7, 'x']]);
    expect(db.all(query)).toEqual([{ seven: 7, letter: 'x' }]);
    expect(db.get(query)).toEqual({ seven: 7, letter: 'x' });
    expect(db.$client.prepare('SELECT 1')).not.toBe(db.$client.prepare('SELECT 1'));
    db.$client.close();
  });
});
