CREATE TABLE `agreement_rollups` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`suggested` text NOT NULL,
	`reviewed` text NOT NULL,
	`n` integer NOT NULL,
	`abs_diff` integer NOT NULL,
	`stance_pairs` integer NOT NULL,
	PRIMARY KEY(`level`, `source_id`, `suggested`, `reviewed`)
);
--> statement-breakpoint
CREATE TABLE `corrected_rollups` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`suggested` text NOT NULL,
	`reviewed` text NOT NULL,
	`n` integer NOT NULL,
	`sm` integer NOT NULL,
	`smm` integer NOT NULL,
	`sns` integer NOT NULL,
	`sd` integer NOT NULL,
	`sdd` integer NOT NULL,
	`smd` integer NOT NULL,
	PRIMARY KEY(`level`, `source_id`, `suggested`, `reviewed`)
);
--> statement-breakpoint
CREATE TABLE `document_rollups` (
	`document_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`source_id` integer NOT NULL,
	`n` integer NOT NULL,
	`stance_sum` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `document_id`, `source_id`)
);
--> statement-breakpoint
CREATE INDEX `document_rollups_source_idx` ON `document_rollups` (`level`,`basis`,`source_id`,`document_id`);--> statement-breakpoint
CREATE TABLE `source_rollups` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`label` text NOT NULL,
	`n` integer NOT NULL,
	`stance_n` integer NOT NULL,
	`stance_sum` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `source_id`, `label`)
);
--> statement-breakpoint
CREATE TABLE `source_stance_rollups` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`documents` integer NOT NULL,
	`n` integer NOT NULL,
	`s` integer NOT NULL,
	`ss` integer NOT NULL,
	`sn` integer NOT NULL,
	`nn` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `source_id`)
);
--> statement-breakpoint
CREATE TABLE `source_status_rollups` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`review_status` text NOT NULL,
	`n` integer NOT NULL,
	`suggested` integer NOT NULL,
	`random_sample` integer NOT NULL,
	PRIMARY KEY(`level`, `source_id`, `review_status`)
);
--> statement-breakpoint
CREATE TABLE `source_theme_rollups` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`label` text NOT NULL,
	`theme` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `source_id`, `label`, `theme`)
);
--> statement-breakpoint
CREATE TABLE `suggestion_provenance` (
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	PRIMARY KEY(`provider`, `model`, `prompt_version`)
);
--> statement-breakpoint
CREATE TABLE `timeline_rollups` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`granularity` text NOT NULL,
	`period` text NOT NULL,
	`label` text NOT NULL,
	`n` integer NOT NULL,
	`stance_n` integer NOT NULL,
	`stance_sum` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `granularity`, `period`, `source_id`, `label`)
);
--> statement-breakpoint
-- Backfill: the rollups of the items already stored (api/dashboard/rollups.ts rebuildStatements()).
INSERT INTO source_rollups (source_id, level, basis, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'model', coalesce(i.suggested_label, ''), count(*), count(i.suggested_stance), coalesce(sum(i.suggested_stance), 0) FROM items i WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO source_rollups (source_id, level, basis, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'reviewed', coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, ''), count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL THEN i.reviewed_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL THEN i.reviewed_stance END), 0) FROM items i WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO source_rollups (source_id, level, basis, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'final', coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, ''), count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN (CASE WHEN i.reviewed_label IS NOT NULL THEN i.reviewed_stance END) WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN (CASE WHEN i.reviewed_label IS NOT NULL THEN i.reviewed_stance END) WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), 0) FROM items i WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO source_status_rollups (source_id, level, review_status, n, suggested, random_sample) SELECT i.source_id, i.level, i.review_status, count(*), count(i.suggested_label), coalesce(sum(r.queue_order = 'random' OR r.blind = 1), 0) FROM items i LEFT JOIN reviews r ON r.id = i.decision_review_id WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO source_theme_rollups (source_id, level, basis, label, theme, n) SELECT i.source_id, i.level, 'model', i.suggested_label, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5;
--> statement-breakpoint
INSERT INTO source_theme_rollups (source_id, level, basis, label, theme, n) SELECT i.source_id, i.level, 'reviewed', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'reviewed' WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5;
--> statement-breakpoint
INSERT INTO source_theme_rollups (source_id, level, basis, label, theme, n) SELECT i.source_id, i.level, 'final', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5;
--> statement-breakpoint
INSERT INTO document_rollups (document_id, level, basis, source_id, n, stance_sum) SELECT i.document_id, i.level, 'model', i.source_id, count(*), sum(i.suggested_stance) FROM items i WHERE i.excluded = 0 AND i.suggested_stance IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO document_rollups (document_id, level, basis, source_id, n, stance_sum) SELECT i.document_id, i.level, 'reviewed', i.source_id, count(*), sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL THEN i.reviewed_stance END) FROM items i WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL THEN i.reviewed_stance END IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO document_rollups (document_id, level, basis, source_id, n, stance_sum) SELECT i.document_id, i.level, 'final', i.source_id, count(*), sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN (CASE WHEN i.reviewed_label IS NOT NULL THEN i.reviewed_stance END) WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END) FROM items i WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN (CASE WHEN i.reviewed_label IS NOT NULL THEN i.reviewed_stance END) WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'model', 'month', coalesce(CASE WHEN d.published_precision IN ('day','month') THEN substr(d.published_start, 1, 7) END, ''), i.suggested_label, count(*), count(i.suggested_stance), coalesce(sum(i.suggested_stance), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'model', 'year', coalesce(CASE WHEN d.published_start IS NOT NULL THEN substr(d.published_start, 1, 4) END, ''), i.suggested_label, count(*), count(i.suggested_stance), coalesce(sum(i.suggested_stance), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'reviewed', 'month', coalesce(CASE WHEN d.published_precision IN ('day','month') THEN substr(d.published_start, 1, 7) END, ''), CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL THEN i.reviewed_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL THEN i.reviewed_stance END), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'reviewed', 'year', coalesce(CASE WHEN d.published_start IS NOT NULL THEN substr(d.published_start, 1, 4) END, ''), CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL THEN i.reviewed_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL THEN i.reviewed_stance END), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'final', 'month', coalesce(CASE WHEN d.published_precision IN ('day','month') THEN substr(d.published_start, 1, 7) END, ''), CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN (CASE WHEN i.reviewed_label IS NOT NULL THEN i.reviewed_stance END) WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN (CASE WHEN i.reviewed_label IS NOT NULL THEN i.reviewed_stance END) WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO timeline_rollups (source_id, level, basis, granularity, period, label, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'final', 'year', coalesce(CASE WHEN d.published_start IS NOT NULL THEN substr(d.published_start, 1, 4) END, ''), CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN (CASE WHEN i.reviewed_label IS NOT NULL THEN i.reviewed_stance END) WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN (CASE WHEN i.reviewed_label IS NOT NULL THEN i.reviewed_stance END) WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), 0) FROM items i JOIN documents d ON d.id = i.document_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) GROUP BY 1, 2, 5, 6;
--> statement-breakpoint
INSERT INTO agreement_rollups (source_id, level, suggested, reviewed, n, abs_diff, stance_pairs) SELECT i.source_id, i.level, i.suggested_label, i.reviewed_label, count(*), coalesce(sum(abs(i.reviewed_stance - i.suggested_stance)), 0), count(i.reviewed_stance - i.suggested_stance) FROM items i WHERE i.excluded = 0 AND i.review_status IN ('reviewed','adjudicated') AND i.suggested_label IS NOT NULL AND i.reviewed_label IS NOT NULL AND (1) GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO corrected_rollups (source_id, level, suggested, reviewed, n, sm, smm, sns, sd, sdd, smd) SELECT i.source_id, i.level, i.suggested_label, coalesce(CASE WHEN (i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) THEN i.reviewed_label END, ''), count(*), coalesce(sum(i.suggested_stance), 0), coalesce(sum(i.suggested_stance * i.suggested_stance), 0), coalesce(sum((i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND i.reviewed_stance IS NOT NULL), 0), coalesce(sum(CASE WHEN (i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND i.reviewed_stance IS NOT NULL THEN (i.reviewed_stance - i.suggested_stance) END), 0), coalesce(sum(CASE WHEN (i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND i.reviewed_stance IS NOT NULL THEN (i.reviewed_stance - i.suggested_stance) * (i.reviewed_stance - i.suggested_stance) END), 0), coalesce(sum(CASE WHEN (i.review_status IN ('reviewed','adjudicated') AND i.reviewed_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND i.reviewed_stance IS NOT NULL THEN i.suggested_stance * (i.reviewed_stance - i.suggested_stance) END), 0) FROM items i LEFT JOIN reviews r ON r.id = i.decision_review_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO source_stance_rollups (source_id, level, basis, documents, n, s, ss, sn, nn) SELECT source_id, level, basis, count(*), sum(n), sum(stance_sum), sum(stance_sum * stance_sum), sum(stance_sum * n), sum(n * n) FROM document_rollups GROUP BY source_id, level, basis;
--> statement-breakpoint
INSERT INTO suggestion_provenance (provider, model, prompt_version) SELECT DISTINCT provider, model, prompt_version FROM suggestions;
