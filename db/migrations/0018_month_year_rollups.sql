DROP TABLE `agreement_rollups_months`;
--> statement-breakpoint
CREATE TABLE `agreement_rollups_months` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`suggested` text NOT NULL,
	`reviewed` text NOT NULL,
	`granularity` text NOT NULL,
	`period` text NOT NULL,
	`n` integer NOT NULL,
	`abs_diff` integer NOT NULL,
	`stance_pairs` integer NOT NULL,
	PRIMARY KEY(`level`, `granularity`, `period`, `source_id`, `suggested`, `reviewed`)
);
--> statement-breakpoint
DROP TABLE `corrected_rollups_months`;
--> statement-breakpoint
CREATE TABLE `corrected_rollups_months` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`suggested` text NOT NULL,
	`reviewed` text NOT NULL,
	`granularity` text NOT NULL,
	`period` text NOT NULL,
	`n` integer NOT NULL,
	`sm` integer NOT NULL,
	`smm` integer NOT NULL,
	`sns` integer NOT NULL,
	`sd` integer NOT NULL,
	`sdd` integer NOT NULL,
	`smd` integer NOT NULL,
	PRIMARY KEY(`level`, `granularity`, `period`, `source_id`, `suggested`, `reviewed`)
);
--> statement-breakpoint
DROP TABLE `label_theme_rollups_months`;
--> statement-breakpoint
CREATE TABLE `label_theme_rollups_months` (
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`label` text NOT NULL,
	`theme` text NOT NULL,
	`granularity` text NOT NULL,
	`period` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `granularity`, `period`, `label`, `theme`)
);
--> statement-breakpoint
DROP TABLE `source_rollups_months`;
--> statement-breakpoint
CREATE TABLE `source_rollups_months` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`label` text NOT NULL,
	`granularity` text NOT NULL,
	`period` text NOT NULL,
	`n` integer NOT NULL,
	`stance_n` integer NOT NULL,
	`stance_sum` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `granularity`, `period`, `source_id`, `label`)
);
--> statement-breakpoint
DROP TABLE `source_stance_rollups_months`;
--> statement-breakpoint
CREATE TABLE `source_stance_rollups_months` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`granularity` text NOT NULL,
	`period` text NOT NULL,
	`documents` integer NOT NULL,
	`n` integer NOT NULL,
	`s` integer NOT NULL,
	`ss` integer NOT NULL,
	`sn` integer NOT NULL,
	`nn` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `granularity`, `period`, `source_id`)
);
--> statement-breakpoint
DROP TABLE `source_status_rollups_months`;
--> statement-breakpoint
CREATE TABLE `source_status_rollups_months` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`review_status` text NOT NULL,
	`granularity` text NOT NULL,
	`period` text NOT NULL,
	`n` integer NOT NULL,
	`suggested` integer NOT NULL,
	`random_sample` integer NOT NULL,
	PRIMARY KEY(`level`, `granularity`, `period`, `source_id`, `review_status`)
);
--> statement-breakpoint
DROP TABLE `source_theme_totals_months`;
--> statement-breakpoint
CREATE TABLE `source_theme_totals_months` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`theme` text NOT NULL,
	`granularity` text NOT NULL,
	`period` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `granularity`, `period`, `source_id`, `theme`)
);

-- Backfill: the month and year rows of every existing item (the statements of api/dashboard/rollups.ts rebuildStatements).
--> statement-breakpoint
INSERT INTO source_rollups_months (source_id, level, basis, label, granularity, period, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'model', coalesce(i.suggested_label, ''), 'month', substr(md.published_start, 1, 7), count(*), count(i.suggested_stance), coalesce(sum(i.suggested_stance), 0) FROM items i JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_rollups_months (source_id, level, basis, label, granularity, period, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'model', coalesce(i.suggested_label, ''), 'year', substr(md.published_start, 1, 4), count(*), count(i.suggested_stance), coalesce(sum(i.suggested_stance), 0) FROM items i JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_rollups_months (source_id, level, basis, label, granularity, period, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'people', coalesce(i.independent_label, ''), 'month', substr(md.published_start, 1, 7), count(*), count(i.independent_stance), coalesce(sum(i.independent_stance), 0) FROM items i JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_rollups_months (source_id, level, basis, label, granularity, period, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'people', coalesce(i.independent_label, ''), 'year', substr(md.published_start, 1, 4), count(*), count(i.independent_stance), coalesce(sum(i.independent_stance), 0) FROM items i JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_rollups_months (source_id, level, basis, label, granularity, period, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'people-bulk', coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, ''), 'month', substr(md.published_start, 1, 7), count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END), 0) FROM items i JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_rollups_months (source_id, level, basis, label, granularity, period, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'people-bulk', coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, ''), 'year', substr(md.published_start, 1, 4), count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END), 0) FROM items i JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_rollups_months (source_id, level, basis, label, granularity, period, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'final', coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, ''), 'month', substr(md.published_start, 1, 7), count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), 0) FROM items i JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_rollups_months (source_id, level, basis, label, granularity, period, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'final', coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, ''), 'year', substr(md.published_start, 1, 4), count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), 0) FROM items i JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_status_rollups_months (source_id, level, review_status, granularity, period, n, suggested, random_sample) SELECT i.source_id, i.level, i.review_status, 'month', substr(md.published_start, 1, 7), count(*), count(i.suggested_label), coalesce(sum((i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1))), 0) FROM items i LEFT JOIN reviews r ON r.id = i.independent_review_id JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 3, 5;
--> statement-breakpoint
INSERT INTO source_status_rollups_months (source_id, level, review_status, granularity, period, n, suggested, random_sample) SELECT i.source_id, i.level, i.review_status, 'year', substr(md.published_start, 1, 4), count(*), count(i.suggested_label), coalesce(sum((i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1))), 0) FROM items i LEFT JOIN reviews r ON r.id = i.independent_review_id JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 3, 5;
--> statement-breakpoint
INSERT INTO source_theme_totals_months (source_id, level, basis, theme, granularity, period, n) SELECT i.source_id, i.level, 'model', t.theme, 'month', substr(md.published_start, 1, 7), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_theme_totals_months (source_id, level, basis, theme, granularity, period, n) SELECT i.source_id, i.level, 'model', t.theme, 'year', substr(md.published_start, 1, 4), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_theme_totals_months (source_id, level, basis, theme, granularity, period, n) SELECT i.source_id, i.level, 'people', t.theme, 'month', substr(md.published_start, 1, 7), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'independent' JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND i.independent_label IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_theme_totals_months (source_id, level, basis, theme, granularity, period, n) SELECT i.source_id, i.level, 'people', t.theme, 'year', substr(md.published_start, 1, 4), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'independent' JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND i.independent_label IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_theme_totals_months (source_id, level, basis, theme, granularity, period, n) SELECT i.source_id, i.level, 'people-bulk', t.theme, 'month', substr(md.published_start, 1, 7), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'reviewed' JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_theme_totals_months (source_id, level, basis, theme, granularity, period, n) SELECT i.source_id, i.level, 'people-bulk', t.theme, 'year', substr(md.published_start, 1, 4), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'reviewed' JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_theme_totals_months (source_id, level, basis, theme, granularity, period, n) SELECT i.source_id, i.level, 'final', t.theme, 'month', substr(md.published_start, 1, 7), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO source_theme_totals_months (source_id, level, basis, theme, granularity, period, n) SELECT i.source_id, i.level, 'final', t.theme, 'year', substr(md.published_start, 1, 4), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 4, 6;
--> statement-breakpoint
INSERT INTO label_theme_rollups_months (level, basis, label, theme, granularity, period, n) SELECT i.level, 'model', i.suggested_label, t.theme, 'month', substr(md.published_start, 1, 7), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 3, 4, 6;
--> statement-breakpoint
INSERT INTO label_theme_rollups_months (level, basis, label, theme, granularity, period, n) SELECT i.level, 'model', i.suggested_label, t.theme, 'year', substr(md.published_start, 1, 4), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 3, 4, 6;
--> statement-breakpoint
INSERT INTO label_theme_rollups_months (level, basis, label, theme, granularity, period, n) SELECT i.level, 'people', i.independent_label, t.theme, 'month', substr(md.published_start, 1, 7), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'independent' JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND i.independent_label IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 3, 4, 6;
--> statement-breakpoint
INSERT INTO label_theme_rollups_months (level, basis, label, theme, granularity, period, n) SELECT i.level, 'people', i.independent_label, t.theme, 'year', substr(md.published_start, 1, 4), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'independent' JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND i.independent_label IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 3, 4, 6;
--> statement-breakpoint
INSERT INTO label_theme_rollups_months (level, basis, label, theme, granularity, period, n) SELECT i.level, 'people-bulk', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, t.theme, 'month', substr(md.published_start, 1, 7), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'reviewed' JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 3, 4, 6;
--> statement-breakpoint
INSERT INTO label_theme_rollups_months (level, basis, label, theme, granularity, period, n) SELECT i.level, 'people-bulk', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, t.theme, 'year', substr(md.published_start, 1, 4), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'reviewed' JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 3, 4, 6;
--> statement-breakpoint
INSERT INTO label_theme_rollups_months (level, basis, label, theme, granularity, period, n) SELECT i.level, 'final', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, t.theme, 'month', substr(md.published_start, 1, 7), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 3, 4, 6;
--> statement-breakpoint
INSERT INTO label_theme_rollups_months (level, basis, label, theme, granularity, period, n) SELECT i.level, 'final', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, t.theme, 'year', substr(md.published_start, 1, 4), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 3, 4, 6;
--> statement-breakpoint
INSERT INTO agreement_rollups_months (source_id, level, suggested, reviewed, granularity, period, n, abs_diff, stance_pairs) SELECT i.source_id, i.level, i.suggested_label, i.independent_label, 'month', substr(md.published_start, 1, 7), count(*), coalesce(sum(abs((i.independent_stance - i.suggested_stance))), 0), count((i.independent_stance - i.suggested_stance)) FROM items i JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND i.independent_label IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 3, 4, 6;
--> statement-breakpoint
INSERT INTO agreement_rollups_months (source_id, level, suggested, reviewed, granularity, period, n, abs_diff, stance_pairs) SELECT i.source_id, i.level, i.suggested_label, i.independent_label, 'year', substr(md.published_start, 1, 4), count(*), coalesce(sum(abs((i.independent_stance - i.suggested_stance))), 0), count((i.independent_stance - i.suggested_stance)) FROM items i JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND i.independent_label IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 3, 4, 6;
--> statement-breakpoint
INSERT INTO corrected_rollups_months (source_id, level, suggested, reviewed, granularity, period, n, sm, smm, sns, sd, sdd, smd) SELECT i.source_id, i.level, i.suggested_label, coalesce(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) THEN i.independent_label END, ''), 'month', substr(md.published_start, 1, 7), count(*), coalesce(sum(i.suggested_stance), 0), coalesce(sum(i.suggested_stance * i.suggested_stance), 0), coalesce(sum((i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL), 0), coalesce(sum(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL THEN (i.independent_stance - i.suggested_stance) END), 0), coalesce(sum(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL THEN (i.independent_stance - i.suggested_stance) * (i.independent_stance - i.suggested_stance) END), 0), coalesce(sum(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL THEN i.suggested_stance * (i.independent_stance - i.suggested_stance) END), 0) FROM items i LEFT JOIN reviews r ON r.id = i.independent_review_id JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 3, 4, 6;
--> statement-breakpoint
INSERT INTO corrected_rollups_months (source_id, level, suggested, reviewed, granularity, period, n, sm, smm, sns, sd, sdd, smd) SELECT i.source_id, i.level, i.suggested_label, coalesce(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) THEN i.independent_label END, ''), 'year', substr(md.published_start, 1, 4), count(*), coalesce(sum(i.suggested_stance), 0), coalesce(sum(i.suggested_stance * i.suggested_stance), 0), coalesce(sum((i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL), 0), coalesce(sum(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL THEN (i.independent_stance - i.suggested_stance) END), 0), coalesce(sum(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL THEN (i.independent_stance - i.suggested_stance) * (i.independent_stance - i.suggested_stance) END), 0), coalesce(sum(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL THEN i.suggested_stance * (i.independent_stance - i.suggested_stance) END), 0) FROM items i LEFT JOIN reviews r ON r.id = i.independent_review_id JOIN documents md ON md.id = i.document_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) AND md.published_start IS NOT NULL GROUP BY 1, 2, 3, 4, 6;
--> statement-breakpoint
INSERT INTO source_stance_rollups_months (source_id, level, basis, granularity, period, documents, n, s, ss, sn, nn) SELECT r.source_id, r.level, r.basis, 'month', substr(md.published_start, 1, 7), count(*), sum(r.n), sum(r.stance_sum), sum(r.stance_sum * r.stance_sum), sum(r.stance_sum * r.n), sum(r.n * r.n) FROM document_rollups r JOIN documents md ON md.id = r.document_id WHERE md.published_start IS NOT NULL GROUP BY 1, 2, 3, 5;
--> statement-breakpoint
INSERT INTO source_stance_rollups_months (source_id, level, basis, granularity, period, documents, n, s, ss, sn, nn) SELECT r.source_id, r.level, r.basis, 'year', substr(md.published_start, 1, 4), count(*), sum(r.n), sum(r.stance_sum), sum(r.stance_sum * r.stance_sum), sum(r.stance_sum * r.n), sum(r.n * r.n) FROM document_rollups r JOIN documents md ON md.id = r.document_id WHERE md.published_start IS NOT NULL GROUP BY 1, 2, 3, 5;
