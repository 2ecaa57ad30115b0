CREATE TABLE `document_rollups_facets` (
	`document_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`source_id` integer NOT NULL,
	`review_status` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	`codebook_id` integer NOT NULL,
	`n` integer NOT NULL,
	`stance_sum` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `review_status`, `provider`, `model`, `prompt_version`, `codebook_id`, `source_id`, `document_id`)
);

-- Backfill: the document facet rows of every existing item (the statements of api/dashboard/rollups.ts rebuildStatements).
--> statement-breakpoint
INSERT INTO document_rollups_facets (document_id, level, basis, source_id, review_status, provider, model, prompt_version, codebook_id, n, stance_sum) SELECT i.document_id, i.level, 'model', i.source_id, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*), sum(i.suggested_stance) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND i.suggested_stance IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO document_rollups_facets (document_id, level, basis, source_id, review_status, provider, model, prompt_version, codebook_id, n, stance_sum) SELECT i.document_id, i.level, 'people', i.source_id, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*), sum(i.independent_stance) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND i.independent_stance IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO document_rollups_facets (document_id, level, basis, source_id, review_status, provider, model, prompt_version, codebook_id, n, stance_sum) SELECT i.document_id, i.level, 'people-bulk', i.source_id, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*), sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO document_rollups_facets (document_id, level, basis, source_id, review_status, provider, model, prompt_version, codebook_id, n, stance_sum) SELECT i.document_id, i.level, 'final', i.source_id, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*), sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9;
