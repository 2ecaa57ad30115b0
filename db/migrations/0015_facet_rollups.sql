CREATE TABLE `agreement_rollups_facets` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`suggested` text NOT NULL,
	`reviewed` text NOT NULL,
	`review_status` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	`codebook_id` integer NOT NULL,
	`n` integer NOT NULL,
	`abs_diff` integer NOT NULL,
	`stance_pairs` integer NOT NULL,
	PRIMARY KEY(`level`, `source_id`, `suggested`, `reviewed`, `review_status`, `provider`, `model`, `prompt_version`, `codebook_id`)
);
--> statement-breakpoint
CREATE TABLE `corrected_rollups_facets` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`suggested` text NOT NULL,
	`reviewed` text NOT NULL,
	`review_status` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	`codebook_id` integer NOT NULL,
	`n` integer NOT NULL,
	`sm` integer NOT NULL,
	`smm` integer NOT NULL,
	`sns` integer NOT NULL,
	`sd` integer NOT NULL,
	`sdd` integer NOT NULL,
	`smd` integer NOT NULL,
	PRIMARY KEY(`level`, `source_id`, `suggested`, `reviewed`, `review_status`, `provider`, `model`, `prompt_version`, `codebook_id`)
);
--> statement-breakpoint
CREATE TABLE `label_theme_rollups_facets` (
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`label` text NOT NULL,
	`theme` text NOT NULL,
	`review_status` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	`codebook_id` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `label`, `theme`, `review_status`, `provider`, `model`, `prompt_version`, `codebook_id`)
);
--> statement-breakpoint
CREATE TABLE `source_rollups_facets` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`label` text NOT NULL,
	`review_status` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	`codebook_id` integer NOT NULL,
	`n` integer NOT NULL,
	`stance_n` integer NOT NULL,
	`stance_sum` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `source_id`, `label`, `review_status`, `provider`, `model`, `prompt_version`, `codebook_id`)
);
--> statement-breakpoint
CREATE TABLE `source_status_rollups_facets` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`review_status` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	`codebook_id` integer NOT NULL,
	`n` integer NOT NULL,
	`suggested` integer NOT NULL,
	`random_sample` integer NOT NULL,
	PRIMARY KEY(`level`, `source_id`, `review_status`, `provider`, `model`, `prompt_version`, `codebook_id`)
);
--> statement-breakpoint
CREATE TABLE `source_theme_totals_facets` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`theme` text NOT NULL,
	`review_status` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	`codebook_id` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `source_id`, `theme`, `review_status`, `provider`, `model`, `prompt_version`, `codebook_id`)
);

-- Backfill: the facet rollups of every existing item (the statements of api/dashboard/rollups.ts rebuildStatements).
--> statement-breakpoint
INSERT INTO source_rollups_facets (source_id, level, basis, label, review_status, provider, model, prompt_version, codebook_id, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'model', coalesce(i.suggested_label, ''), i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*), count(i.suggested_stance), coalesce(sum(i.suggested_stance), 0) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO source_rollups_facets (source_id, level, basis, label, review_status, provider, model, prompt_version, codebook_id, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'people', coalesce(i.independent_label, ''), i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*), count(i.independent_stance), coalesce(sum(i.independent_stance), 0) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO source_rollups_facets (source_id, level, basis, label, review_status, provider, model, prompt_version, codebook_id, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'people-bulk', coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, ''), i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance END), 0) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO source_rollups_facets (source_id, level, basis, label, review_status, provider, model, prompt_version, codebook_id, n, stance_n, stance_sum) SELECT i.source_id, i.level, 'final', coalesce(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, ''), i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*), count(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), coalesce(sum(CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_stance WHEN i.review_status = 'unreviewed' THEN i.suggested_stance END), 0) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO source_status_rollups_facets (source_id, level, review_status, provider, model, prompt_version, codebook_id, n, suggested, random_sample) SELECT i.source_id, i.level, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*), count(i.suggested_label), coalesce(sum((i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1))), 0) FROM items i LEFT JOIN reviews r ON r.id = i.independent_review_id LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 3, 4, 5, 6, 7;
--> statement-breakpoint
INSERT INTO source_theme_totals_facets (source_id, level, basis, theme, review_status, provider, model, prompt_version, codebook_id, n) SELECT i.source_id, i.level, 'model', t.theme, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO source_theme_totals_facets (source_id, level, basis, theme, review_status, provider, model, prompt_version, codebook_id, n) SELECT i.source_id, i.level, 'people', t.theme, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'independent' LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND i.independent_label IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO source_theme_totals_facets (source_id, level, basis, theme, review_status, provider, model, prompt_version, codebook_id, n) SELECT i.source_id, i.level, 'people-bulk', t.theme, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'reviewed' LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO source_theme_totals_facets (source_id, level, basis, theme, review_status, provider, model, prompt_version, codebook_id, n) SELECT i.source_id, i.level, 'final', t.theme, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) GROUP BY 1, 2, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO label_theme_rollups_facets (level, basis, label, theme, review_status, provider, model, prompt_version, codebook_id, n) SELECT i.level, 'model', i.suggested_label, t.theme, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 3, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO label_theme_rollups_facets (level, basis, label, theme, review_status, provider, model, prompt_version, codebook_id, n) SELECT i.level, 'people', i.independent_label, t.theme, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'independent' LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND i.independent_label IS NOT NULL AND (1) GROUP BY 1, 3, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO label_theme_rollups_facets (level, basis, label, theme, review_status, provider, model, prompt_version, codebook_id, n) SELECT i.level, 'people-bulk', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, t.theme, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'reviewed' LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) GROUP BY 1, 3, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO label_theme_rollups_facets (level, basis, label, theme, review_status, provider, model, prompt_version, codebook_id, n) SELECT i.level, 'final', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, t.theme, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) GROUP BY 1, 3, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO agreement_rollups_facets (source_id, level, suggested, reviewed, review_status, provider, model, prompt_version, codebook_id, n, abs_diff, stance_pairs) SELECT i.source_id, i.level, i.suggested_label, i.independent_label, i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*), coalesce(sum(abs((i.independent_stance - i.suggested_stance))), 0), count((i.independent_stance - i.suggested_stance)) FROM items i LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND i.independent_label IS NOT NULL AND (1) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
--> statement-breakpoint
INSERT INTO corrected_rollups_facets (source_id, level, suggested, reviewed, review_status, provider, model, prompt_version, codebook_id, n, sm, smm, sns, sd, sdd, smd) SELECT i.source_id, i.level, i.suggested_label, coalesce(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) THEN i.independent_label END, ''), i.review_status, coalesce(fs.provider, ''), coalesce(fs.model, ''), coalesce(fs.prompt_version, ''), coalesce(fs.codebook_id, 0), count(*), coalesce(sum(i.suggested_stance), 0), coalesce(sum(i.suggested_stance * i.suggested_stance), 0), coalesce(sum((i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL), 0), coalesce(sum(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL THEN (i.independent_stance - i.suggested_stance) END), 0), coalesce(sum(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL THEN (i.independent_stance - i.suggested_stance) * (i.independent_stance - i.suggested_stance) END), 0), coalesce(sum(CASE WHEN (i.independent_label IS NOT NULL AND (r.queue_order = 'random' OR r.blind = 1)) AND (i.independent_stance - i.suggested_stance) IS NOT NULL THEN i.suggested_stance * (i.independent_stance - i.suggested_stance) END), 0) FROM items i LEFT JOIN reviews r ON r.id = i.independent_review_id LEFT JOIN suggestions fs ON fs.id = i.latest_suggestion_id WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
