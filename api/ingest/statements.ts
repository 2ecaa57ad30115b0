import type Database from 'better-sqlite3';

/** The prepared statements of the import's hot path. */
export interface Statements {
  findSource: Database.Statement;
  insertSource: Database.Statement;
  findDocument: Database.Statement;
  insertDocument: Database.Statement;
  insertPassage: Database.Statement;
  insertItem: Database.Statement;
  documentItem: Database.Statement;
  setDuplicate: Database.Statement;
}

const statementCache = new WeakMap<Database.Database, Statements>();

/**
 * The import's hot path uses better-sqlite3 prepared statements directly (on the same
 * connection, inside the drizzle transaction): building a drizzle query per passage costs
 * more than the insert itself and would keep a large import from its speed target.
 */
export function statements(client: Database.Database): Statements {
  let s = statementCache.get(client);
  if (!s) {
    s = {
      findSource: client.prepare('SELECT id FROM sources WHERE name = ?').pluck(),
      insertSource: client.prepare('INSERT INTO sources (name, country, url) VALUES (?, ?, ?)'),
      findDocument: client.prepare('SELECT id FROM documents WHERE source_id = ? AND content_hash = ?').pluck(),
      insertDocument: client.prepare(
        `INSERT INTO documents (source_id, import_id, title, author, published, published_precision, published_start, published_raw, url, language, notes, origin, external_id, metadata, text, content_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertPassage: client.prepare(
        `INSERT INTO passages (document_id, seq, start, "end", text, excluded, excluded_reason, excluded_by, auto_excluded, auto_excluded_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertItem: client.prepare('INSERT INTO items (level, document_id, passage_id, source_id, seq, text_hash, excluded, random_key, chars) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      documentItem: client.prepare("SELECT id FROM items WHERE document_id = ? AND level = 'document'").pluck(),
      setDuplicate: client.prepare('UPDATE documents SET duplicate_of = ?, duplicate_similarity = ? WHERE id = ?'),
    };
    statementCache.set(client, s);
  }
  return s;
}
