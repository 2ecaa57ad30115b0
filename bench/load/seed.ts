import { createHash } from 'node:crypto';
import { SingleBar } from 'cli-progress';
import { getActiveCodebook } from '../../api/codebooks/service.ts';
import { rebuildRollups } from '../../api/dashboard/rollups.ts';
import { openAppDb } from '../../api/db.ts';
import { seededRandom } from '../../api/metrics/rng.ts';

const PASSAGES_PER_DOCUMENT = 3;
const SOURCES = 50;

/**
 * A load-test database by direct SQL: `documents` documents over 50 sources, three passages
 * each, an item per passage and per document, and one suggestion per passage item (so every
 * passage can be accepted). Rollups are rebuilt at the end, as after an import.
 */
export function seedLoadDb(path: string, documents: number): void {
  const db = openAppDb(path);
  const codebook = getActiveCodebook(db);
  const labels = codebook.definition.labels.map((l) => l.id);
  const sqlite = db.$client;
  sqlite.pragma('synchronous = OFF'); // a throwaway file: speed over durability
  const random = seededRandom(14);
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const insSource = sqlite.prepare('INSERT INTO sources (name) VALUES (?)');
  const insDoc = sqlite.prepare('INSERT INTO documents (source_id, title, published, published_precision, published_start, text, content_hash, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insPassage = sqlite.prepare('INSERT INTO passages (document_id, seq, start, "end", text) VALUES (?, ?, ?, ?, ?)');
  const insItem = sqlite.prepare('INSERT INTO items (level, document_id, passage_id, source_id, seq, text_hash, random_key) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insSuggestion = sqlite.prepare(`INSERT INTO suggestions (item_id, codebook_id, label, stance, themes, confidence, rationale, evidence, provider, model,
    prompt_version, prompt_hash, codebook_version, codebook_hash, params, cache_key) VALUES (?, ?, ?, ?, '[]', ?, 'bench', '[]', 'local', 'bench', 'v1', 'bench', ?, ?, '{}', ?)`);
  const setItem = sqlite.prepare(
    "UPDATE items SET suggestion_count = 1, latest_suggestion_id = ?, suggested_label = ?, suggested_stance = ?, suggested_confidence = ?, suggestion_agreement = 1, final_origin = 'model', version = 1 WHERE id = ?",
  );
  const bar = new SingleBar({ format: 'seeding   [{bar}] {value}/{total} documents' });
  bar.start(documents, 0);
  sqlite.transaction(() => {
    const sources = Array.from({ length: SOURCES }, (_, n) => Number(insSource.run(`Load outlet ${n + 1}`).lastInsertRowid));
    for (let d = 0; d < documents; d++) {
      const texts = Array.from({ length: PASSAGES_PER_DOCUMENT }, (_, k) => `Document ${d}, passage ${k}: officials met again and discussed the common market, the border and energy prices (${random().toFixed(6)}).`);
      const text = texts.join('\n\n');
      const sourceId = sources[d % sources.length]!;
      const docId = Number(insDoc.run(sourceId, `Load document ${d}`, '2025-01-01', 'day', '2025-01-01', text, sha(text), 'en').lastInsertRowid);
      insItem.run('document', docId, null, sourceId, -1, sha(text), random());
      let offset = 0;
      texts.forEach((t, seq) => {
        const passageId = Number(insPassage.run(docId, seq, offset, offset + t.length, t).lastInsertRowid);
        offset += t.length + 2;
        const itemId = Number(insItem.run('passage', docId, passageId, sourceId, seq, sha(t), random()).lastInsertRowid);
        const label = labels[Math.floor(random() * labels.length)]!;
        const stance = Math.floor(random() * 5) - 2;
        const confidence = Math.round(random() * 1000) / 1000;
        const suggestionId = Number(insSuggestion.run(itemId, codebook.id, label, stance, confidence, codebook.version, codebook.hash, `load-${itemId}`).lastInsertRowid);
        setItem.run(suggestionId, label, stance, confidence, itemId);
      });
      if (d % 1000 === 0) bar.update(d);
    }
  })();
  rebuildRollups(db);
  bar.update(documents);
  bar.stop();
  sqlite.close();
}
