DROP INDEX `items_source_order_idx`;--> statement-breakpoint
ALTER TABLE `items` ADD `independent_label` text;--> statement-breakpoint
ALTER TABLE `items` ADD `independent_stance` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `independent_review_id` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `independent_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `items_source_order_idx` ON `items` (`source_id`,`level`,`excluded`,`document_id`,`seq`,`review_status`,`suggested_label`,`reviewed_label`,`independent_label`);--> statement-breakpoint
ALTER TABLE `imports` ADD `gold` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `passages` ADD `exclusion_review_id` integer;
--> statement-breakpoint
-- Backfill. Every item with a standing decision is derived again from its reviews, as
-- api/items/state.ts's deriveReviewState does: an open reject alone is now `rejected` (no label),
-- an open reject of the very label another person gave disputes the item, a bulk accept's
-- origin is `bulk`, there is no final origin without a final label; and the item's independent
-- state is derived the same way from its independent decisions alone (manual reviews,
-- adjudications and labels of imports marked gold, of which there are none before this
-- migration added the mark). Then the theme sets, the reviewer
-- exclusions' reviews and every dashboard rollup are rebuilt.
CREATE TEMP TABLE backfill_decisions AS
  SELECT s.subset, r.id, r.item_id, r.reviewer_id, r.action, r.label,
         CASE WHEN r.label IS NULL THEN json_extract(r.shown, '$.suggestion.label') END AS rejected_label
  FROM reviews r
  JOIN (SELECT 'all' AS subset UNION ALL SELECT 'independent') s
    ON s.subset = 'all' OR r.kind = 'manual' OR r.action = 'adjudicate' OR (r.kind = 'import' AND EXISTS (SELECT 1 FROM imports im WHERE im.id = r.import_id AND im.gold = 1))
  WHERE r.action IN ('accept', 'edit', 'reject', 'adjudicate')
    AND NOT EXISTS (SELECT 1 FROM reviews u WHERE u.action = 'undo' AND u.undoes_review_id = r.id);
--> statement-breakpoint
CREATE TEMP TABLE backfill_latest AS
  SELECT d.* FROM backfill_decisions d
  JOIN (SELECT max(id) AS id, subset FROM backfill_decisions WHERE action <> 'adjudicate' GROUP BY subset, item_id, reviewer_id) l ON l.subset = d.subset AND l.id = d.id;
--> statement-breakpoint
CREATE INDEX temp.backfill_latest_item ON backfill_latest (subset, item_id, label);
--> statement-breakpoint
CREATE TEMP TABLE backfill_settled AS
  SELECT subset, item_id, people, status,
         CASE status WHEN 'adjudicated' THEN adjudication WHEN 'reviewed' THEN labelled WHEN 'rejected' THEN last END AS carrier
  FROM (
    SELECT k.subset, k.item_id, coalesce(g.people, 0) AS people, a.id AS adjudication, g.labelled, g.last,
           CASE WHEN a.id IS NOT NULL THEN 'adjudicated'
                WHEN g.labels > 1 OR g.conflict = 1 THEN 'disputed'
                WHEN g.labels = 1 THEN 'reviewed'
                ELSE 'rejected' END AS status
    FROM (SELECT DISTINCT subset, item_id FROM backfill_decisions) k
    LEFT JOIN (
      SELECT p.subset, p.item_id, count(*) AS people, count(DISTINCT p.label) AS labels,
             max(CASE WHEN p.label IS NOT NULL THEN p.id END) AS labelled, max(p.id) AS last,
             max(EXISTS (SELECT 1 FROM backfill_latest q WHERE q.subset = p.subset AND q.item_id = p.item_id AND q.label = p.rejected_label)) AS conflict
      FROM backfill_latest p GROUP BY p.subset, p.item_id
    ) g ON g.subset = k.subset AND g.item_id = k.item_id
    LEFT JOIN (SELECT subset, item_id, max(id) AS id FROM backfill_decisions WHERE action = 'adjudicate' GROUP BY subset, item_id) a ON a.subset = k.subset AND a.item_id = k.item_id
  );
--> statement-breakpoint
UPDATE items SET
  review_status = s.status,
  review_count = s.people,
  decision_review_id = s.carrier,
  reviewed_label = CASE WHEN s.status IN ('reviewed', 'adjudicated') THEN c.label END,
  reviewed_stance = CASE WHEN s.status IN ('reviewed', 'adjudicated') THEN c.stance END,
  final_origin = CASE s.status
    WHEN 'adjudicated' THEN 'adjudication'
    WHEN 'reviewed' THEN CASE c.kind WHEN 'bulk' THEN 'bulk' WHEN 'import' THEN 'import' ELSE 'reviewer' END
  END,
  version = items.version + 1
FROM backfill_settled s LEFT JOIN reviews c ON c.id = s.carrier
WHERE s.subset = 'all' AND items.id = s.item_id;
--> statement-breakpoint
UPDATE items SET
  independent_label = CASE WHEN s.status IN ('reviewed', 'adjudicated') THEN c.label END,
  independent_stance = CASE WHEN s.status IN ('reviewed', 'adjudicated') THEN c.stance END,
  independent_review_id = CASE WHEN s.status IN ('reviewed', 'adjudicated') THEN s.carrier END,
  independent_count = s.people
FROM backfill_settled s LEFT JOIN reviews c ON c.id = s.carrier
WHERE s.subset = 'independent' AND items.id = s.item_id;
--> statement-breakpoint
DELETE FROM item_themes WHERE kind = 'reviewed' AND item_id IN (SELECT item_id FROM backfill_settled);
--> statement-breakpoint
INSERT OR IGNORE INTO item_themes (item_id, kind, theme)
  SELECT i.id, 'reviewed', t.value FROM items i JOIN reviews c ON c.id = i.decision_review_id, json_each(c.themes) t
  WHERE i.review_status IN ('reviewed', 'adjudicated');
--> statement-breakpoint
INSERT OR IGNORE INTO item_themes (item_id, kind, theme)
  SELECT i.id, 'independent', t.value FROM items i JOIN reviews c ON c.id = i.independent_review_id, json_each(c.themes) t;
--> statement-breakpoint
UPDATE passages SET exclusion_review_id = (
  SELECT max(r.id) FROM items i JOIN reviews r ON r.item_id = i.id
  WHERE i.passage_id = passages.id AND r.action IN ('exclude', 'include')
    AND NOT EXISTS (SELECT 1 FROM reviews u WHERE u.action = 'undo' AND u.undoes_review_id = r.id)
) WHERE excluded_by = 'reviewer';
--> statement-breakpoint
DROP TABLE temp.backfill_settled;
--> statement-breakpoint
DROP TABLE temp.backfill_latest;
--> statement-breakpoint
DROP TABLE temp.backfill_decisions;
--> statement-breakpoint
-- The dashboard rollups, rebuilt with the bases of api/items/provenance.ts (api/dashboard/rollups.ts rebuildStatements()).
DELETE FROM source_rollups;
--> statement-breakpoint
DELETE FROM source_status_rollups;
--> statement-breakpoint
DELETE FROM source_theme_rollups;
--> statement-breakpoint
DELETE FROM source_theme_totals;
--> statement-breakpoint
DELETE FROM label_theme_rollups;
--> statement-breakpoint
DELETE FROM document_rollups;
--> statement-breakpoint
DELETE FROM timeline_rollups;
--> statement-breakpoint
DELETE FROM agreement_rollups;
--> statement-breakpoint
DELETE FROM corrected_rollups;
--> statement-breakpoint
DELETE FROM source_stance_rollups;
--> statement-breakpoint
DELETE FROM suggestion_provenance;
--> statement-breakpoint
INSERT INTO source_rollups (source_id, level, basis, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'model', coalesce(i.suggested_label, ''), count(*), count(i.suggested_stance), coalesce(sum(i.suggested_stance), 0) FROM items i WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO source_rollups (source_id, level, basis, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'people', coalesce(i.independent_label, ''), count(*), count(i.independent_stance), coalesce(sum(i.independent_stance), 0) FROM items i WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO source_rollups (source_id, level, basis, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'people-bulk', coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, ''), count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END), 0) FROM items i WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO source_rollups (source_id, level, basis, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'final', coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, ''), count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), 0) FROM items i WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO source_status_rollups (source_id, level, review_status, n, suggested, random_sample) SELECT i.source_id, i.level, i.review_status, count(*), count(i.suggested_label), coalesce(sum((i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1))), 0) FROM items i LEFT JOIN reviews r ON r.id = i.independent_review_id WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO source_theme_rollups (source_id, level, basis, label, theme, n) SELECT i.source_id, i.level, 'model', i.suggested_label, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5;
--> statement-breakpoint
INSERT INTO source_theme_rollups (source_id, level, basis, label, theme, n) SELECT i.source_id, i.level, 'people', i.independent_label, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'independent' WHERE i.excluded = 0 AND i.independent_label IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5;
--> statement-breakpoint
INSERT INTO source_theme_rollups (source_id, level, basis, label, theme, n) SELECT i.source_id, i.level, 'people-bulk', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'reviewed' WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5;
--> statement-breakpoint
INSERT INTO source_theme_rollups (source_id, level, basis, label, theme, n) SELECT i.source_id, i.level, 'final', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5;
--> statement-breakpoint
INSERT INTO source_theme_totals (source_id, level, basis, theme, n) SELECT i.source_id, i.level, 'model', t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO source_theme_totals (source_id, level, basis, theme, n) SELECT i.source_id, i.level, 'people', t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'independent' WHERE i.excluded = 0 AND i.independent_label IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO source_theme_totals (source_id, level, basis, theme, n) SELECT i.source_id, i.level, 'people-bulk', t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'reviewed' WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO source_theme_totals (source_id, level, basis, theme, n) SELECT i.source_id, i.level, 'final', t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO label_theme_rollups (level, basis, label, theme, n) SELECT i.level, 'model', i.suggested_label, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 3, 4;
--> statement-breakpoint
INSERT INTO label_theme_rollups (level, basis, label, theme, n) SELECT i.level, 'people', i.independent_label, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'independent' WHERE i.excluded = 0 AND i.independent_label IS NOT NULL AND (1) GROUP BY 1, 3, 4;
--> statement-breakpoint
INSERT INTO label_theme_rollups (level, basis, label, theme, n) SELECT i.level, 'people-bulk', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'reviewed' WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) GROUP BY 1, 3, 4;
--> statement-breakpoint
INSERT INTO label_theme_rollups (level, basis, label, theme, n) SELECT i.level, 'final', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) GROUP BY 1, 3, 4;
--> statement-breakpoint
INSERT INTO document_rollups (document_id, level, basis, source_id, n, stance_sum) SELECT i.document_id, i.level, 'model', i.source_id, count(*), sum(i.suggested_stance) FROM items i WHERE i.excluded = 0 AND i.suggested_stance IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO document_rollups (document_id, level, basis, source_id, n, stance_sum) SELECT i.document_id, i.level, 'people', i.source_id, count(*), sum(i.independent_stance) FROM items i WHERE i.excluded = 0 AND i.independent_stance IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO document_rollups (document_id, level, basis, source_id, n, stance_sum) SELECT i.document_id, i.level, 'people-bulk', i.source_id, count(*), sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END) FROM items i WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO document_rollups (document_id, level, basis, source_id, n, stance_sum) SELECT i.document_id, i.level, 'final', i.source_id, count(*), sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END) FROM items i WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'model', 'month', coalesce(CASE WHEN d.published_precision IN ('day','month') THEN substr(d.published_start, 1, 7) END, ''), i.suggested_label, count(*), count(i.suggested_stance), coalesce(sum(i.suggested_stance), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'model', 'year', coalesce(CASE WHEN d.published_start IS NOT NULL THEN substr(d.published_start, 1, 4) END, ''), i.suggested_label, count(*), count(i.suggested_stance), coalesce(sum(i.suggested_stance), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'people', 'month', coalesce(CASE WHEN d.published_precision IN ('day','month') THEN substr(d.published_start, 1, 7) END, ''), i.independent_label, count(*), count(i.independent_stance), coalesce(sum(i.independent_stance), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND i.independent_label IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'people', 'year', coalesce(CASE WHEN d.published_start IS NOT NULL THEN substr(d.published_start, 1, 4) END, ''), i.independent_label, count(*), count(i.independent_stance), coalesce(sum(i.independent_stance), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND i.independent_label IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'people-bulk', 'month', coalesce(CASE WHEN d.published_precision IN ('day','month') THEN substr(d.published_start, 1, 7) END, ''), CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'people-bulk', 'year', coalesce(CASE WHEN d.published_start IS NOT NULL THEN substr(d.published_start, 1, 4) END, ''), CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'final', 'month', coalesce(CASE WHEN d.published_precision IN ('day','month') THEN substr(d.published_start, 1, 7) END, ''), CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'final', 'year', coalesce(CASE WHEN d.published_start IS NOT NULL THEN substr(d.published_start, 1, 4) END, ''), CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO agreement_rollups (source_id, level, suggested, reviewed, n, abs_diff, stance_pairs) SELECT i.source_id, i.level, i.suggested_label, i.independent_label, count(*), coalesce(sum(abs((i.independent_stance - i.suggested_stance))), 0), count((i.independent_stance - i.suggested_stance)) FROM items i WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND i.independent_label IS NOT NULL AND (1) GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO corrected_rollups (source_id, level, suggested, reviewed, n, sm, smm, sns, sd, sdd, smd) SELECT i.source_id, i.level, i.suggested_label, coalesce(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) THEN i.independent_label END, ''), count(*), coalesce(sum(i.suggested_stance), 0), coalesce(sum(i.suggested_stance * i.suggested_stance), 0), coalesce(sum((i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL), 0), coalesce(sum(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL THEN (i.independent_stance - i.suggested_stance) END), 0), coalesce(sum(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL THEN (i.independent_stance - i.suggested_stance) * (i.independent_stance - i.suggested_stance) END), 0), coalesce(sum(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL THEN i.suggested_stance * (i.independent_stance - i.suggested_stance) END), 0) FROM items i LEFT JOIN reviews r ON r.id = i.independent_review_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO source_stance_rollups (source_id, level, basis, documents, n, s, ss, sn, nn) SELECT source_id, level, basis, count(*), sum(n), sum(stance_sum), sum(stance_sum * stance_sum), sum(stance_sum * n), sum(n * n) FROM document_rollups GROUP BY source_id, level, basis;
--> statement-breakpoint
INSERT INTO suggestion_provenance (provider, model, prompt_version) SELECT DISTINCT provider, model, prompt_version FROM suggestions;
