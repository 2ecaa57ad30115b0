CREATE TABLE `compare_label_rollups` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`label` text NOT NULL,
	`documents` integer NOT NULL,
	`c` integer NOT NULL,
	`cc` integer NOT NULL,
	`cn` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `source_id`, `label`)
);
--> statement-breakpoint
CREATE TABLE `compare_label_rollups_months` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`label` text NOT NULL,
	`granularity` text NOT NULL,
	`period` text NOT NULL,
	`documents` integer NOT NULL,
	`c` integer NOT NULL,
	`cc` integer NOT NULL,
	`cn` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `granularity`, `period`, `source_id`, `label`)
);
--> statement-breakpoint
CREATE TABLE `compare_source_rollups` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`documents` integer NOT NULL,
	`counted_documents` integer NOT NULL,
	`n` integer NOT NULL,
	`nn` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `source_id`)
);
--> statement-breakpoint
CREATE TABLE `compare_source_rollups_months` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`granularity` text NOT NULL,
	`period` text NOT NULL,
	`documents` integer NOT NULL,
	`counted_documents` integer NOT NULL,
	`n` integer NOT NULL,
	`nn` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `granularity`, `period`, `source_id`)
);
--> statement-breakpoint
CREATE TABLE `document_label_rollups` (
	`document_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`source_id` integer NOT NULL,
	`label` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `document_id`, `source_id`, `label`)
);
--> statement-breakpoint
CREATE INDEX `document_label_rollups_source_idx` ON `document_label_rollups` (`level`,`basis`,`source_id`,`document_id`);
-- Backfill: the comparison rollups of every existing item, document rows first (the statements of api/dashboard/rollups.ts rebuildStatements).
--> statement-breakpoint
INSERT INTO document_label_rollups (document_id, level, basis, source_id, label, n) SELECT i.document_id, i.level, 'model', i.source_id, coalesce(i.suggested_label, ''), count(*) FROM items i WHERE i.excluded = 0 AND (i.suggested_label IS NOT NULL OR i.suggested_stance IS NOT NULL) AND (1) GROUP BY 1, 2, 4, 5;
--> statement-breakpoint
INSERT INTO document_label_rollups (document_id, level, basis, source_id, label, n) SELECT i.document_id, i.level, 'people', i.source_id, coalesce(i.independent_label, ''), count(*) FROM items i WHERE i.excluded = 0 AND (i.independent_label IS NOT NULL OR i.independent_stance IS NOT NULL) AND (1) GROUP BY 1, 2, 4, 5;
--> statement-breakpoint
INSERT INTO document_label_rollups (document_id, level, basis, source_id, label, n) SELECT i.document_id, i.level, 'people-bulk', i.source_id, coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, ''), count(*) FROM items i WHERE i.excluded = 0 AND (CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL OR CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END IS NOT NULL) AND (1) GROUP BY 1, 2, 4, 5;
--> statement-breakpoint
INSERT INTO document_label_rollups (document_id, level, basis, source_id, label, n) SELECT i.document_id, i.level, 'final', i.source_id, coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, ''), count(*) FROM items i WHERE i.excluded = 0 AND (CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL OR CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END IS NOT NULL) AND (1) GROUP BY 1, 2, 4, 5;
--> statement-breakpoint
INSERT INTO compare_label_rollups (source_id, level, basis, label, documents, c, cc, cn) SELECT source_id, level, basis, label, count(*) AS documents, sum(n) AS c, sum(n * n) AS cc, sum(n * t) AS cn FROM (SELECT *, sum(CASE WHEN label <> '' THEN n ELSE 0 END) OVER (PARTITION BY level, basis, document_id, source_id) AS t FROM (SELECT r.* FROM document_label_rollups r WHERE r.level IN ('passage', 'document') AND r.basis IN ('model', 'people', 'people-bulk', 'final') AND 1)) WHERE label <> '' GROUP BY level, basis, source_id, label;
--> statement-breakpoint
INSERT INTO compare_label_rollups_months (source_id, level, basis, label, granularity, period, documents, c, cc, cn) SELECT source_id, level, basis, label, 'month', period, count(*) AS documents, sum(n) AS c, sum(n * n) AS cc, sum(n * t) AS cn FROM (SELECT *, sum(CASE WHEN label <> '' THEN n ELSE 0 END) OVER (PARTITION BY level, basis, document_id, source_id) AS t FROM (SELECT r.*, substr(md.published_start, 1, 7) AS period FROM document_label_rollups r JOIN documents md ON md.id = r.document_id WHERE md.published_start IS NOT NULL AND r.level IN ('passage', 'document') AND r.basis IN ('model', 'people', 'people-bulk', 'final') AND 1)) WHERE label <> '' GROUP BY level, basis, source_id, label, period;
--> statement-breakpoint
INSERT INTO compare_label_rollups_months (source_id, level, basis, label, granularity, period, documents, c, cc, cn) SELECT source_id, level, basis, label, 'year', period, count(*) AS documents, sum(n) AS c, sum(n * n) AS cc, sum(n * t) AS cn FROM (SELECT *, sum(CASE WHEN label <> '' THEN n ELSE 0 END) OVER (PARTITION BY level, basis, document_id, source_id) AS t FROM (SELECT r.*, substr(md.published_start, 1, 4) AS period FROM document_label_rollups r JOIN documents md ON md.id = r.document_id WHERE md.published_start IS NOT NULL AND r.level IN ('passage', 'document') AND r.basis IN ('model', 'people', 'people-bulk', 'final') AND 1)) WHERE label <> '' GROUP BY level, basis, source_id, label, period;
--> statement-breakpoint
INSERT INTO compare_source_rollups (source_id, level, basis, documents, counted_documents, n, nn) SELECT source_id, level, basis, count(*) AS documents, sum(t > 0) AS counted_documents, sum(t) AS n, sum(t * t) AS nn FROM (SELECT source_id, level, basis, document_id, sum(CASE WHEN label <> '' THEN n ELSE 0 END) AS t FROM (SELECT r.* FROM document_label_rollups r WHERE r.level IN ('passage', 'document') AND r.basis IN ('model', 'people', 'people-bulk', 'final') AND 1) GROUP BY level, basis, document_id, source_id) GROUP BY level, basis, source_id;
--> statement-breakpoint
INSERT INTO compare_source_rollups_months (source_id, level, basis, granularity, period, documents, counted_documents, n, nn) SELECT source_id, level, basis, 'month', period, count(*) AS documents, sum(t > 0) AS counted_documents, sum(t) AS n, sum(t * t) AS nn FROM (SELECT source_id, level, basis, document_id, period, sum(CASE WHEN label <> '' THEN n ELSE 0 END) AS t FROM (SELECT r.*, substr(md.published_start, 1, 7) AS period FROM document_label_rollups r JOIN documents md ON md.id = r.document_id WHERE md.published_start IS NOT NULL AND r.level IN ('passage', 'document') AND r.basis IN ('model', 'people', 'people-bulk', 'final') AND 1) GROUP BY level, basis, document_id, source_id) GROUP BY level, basis, source_id, period;
--> statement-breakpoint
INSERT INTO compare_source_rollups_months (source_id, level, basis, granularity, period, documents, counted_documents, n, nn) SELECT source_id, level, basis, 'year', period, count(*) AS documents, sum(t > 0) AS counted_documents, sum(t) AS n, sum(t * t) AS nn FROM (SELECT source_id, level, basis, document_id, period, sum(CASE WHEN label <> '' THEN n ELSE 0 END) AS t FROM (SELECT r.*, substr(md.published_start, 1, 4) AS period FROM document_label_rollups r JOIN documents md ON md.id = r.document_id WHERE md.published_start IS NOT NULL AND r.level IN ('passage', 'document') AND r.basis IN ('model', 'people', 'people-bulk', 'final') AND 1) GROUP BY level, basis, document_id, source_id) GROUP BY level, basis, source_id, period;
