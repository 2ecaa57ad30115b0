CREATE TABLE `document_label_rollups_facets` (
	`document_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`source_id` integer NOT NULL,
	`label` text NOT NULL,
	`review_status` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	`codebook_id` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `review_status`, `provider`, `model`, `prompt_version`, `codebook_id`, `source_id`, `document_id`, `label`)
) WITHOUT ROWID;
-- WITHOUT ROWID (by hand; drizzle-kit does not write it): the rows live in the primary key's
-- order, so the comparison's reads under a filter take `n` from the key's own pages instead of
-- one table lookup per row (measured 2x on a status filter at 1M passages).

-- Backfill: the document label facet rows of every existing item (the statements of api/dashboard/rollups.ts rebuildStatements).
--> statement-breakpoint
INSERT INTO document_label_rollups_facets (document_id, level, basis, source_id, label, review_status, provider, model, prompt_version, codebook_id, n) SELECT i.document_id, i.level, 'model', i.source_id, coalesce(i.suggested_label, ''), i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND (i.suggested_label IS NOT NULL OR i.suggested_stance IS NOT NULL) AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9, 10;
--> statement-breakpoint
INSERT INTO document_label_rollups_facets (document_id, level, basis, source_id, label, review_status, provider, model, prompt_version, codebook_id, n) SELECT i.document_id, i.level, 'people', i.source_id, coalesce(i.independent_label, ''), i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND (i.independent_label IS NOT NULL OR i.independent_stance IS NOT NULL) AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9, 10;
--> statement-breakpoint
INSERT INTO document_label_rollups_facets (document_id, level, basis, source_id, label, review_status, provider, model, prompt_version, codebook_id, n) SELECT i.document_id, i.level, 'people-bulk', i.source_id, coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, ''), i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND (CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL OR CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END IS NOT NULL) AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9, 10;
--> statement-breakpoint
INSERT INTO document_label_rollups_facets (document_id, level, basis, source_id, label, review_status, provider, model, prompt_version, codebook_id, n) SELECT i.document_id, i.level, 'final', i.source_id, coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, ''), i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND (CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL OR CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END IS NOT NULL) AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9, 10;
