CREATE TABLE `label_theme_rollups` (
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`label` text NOT NULL,
	`theme` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `label`, `theme`)
);
--> statement-breakpoint
CREATE TABLE `source_theme_totals` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`basis` text NOT NULL,
	`theme` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`level`, `basis`, `source_id`, `theme`)
);
--> statement-breakpoint
DROP INDEX `items_source_level_idx`;--> statement-breakpoint
CREATE INDEX `items_source_order_idx` ON `items` (`source_id`,`level`,`excluded`,`document_id`,`seq`,`review_status`,`suggested_label`,`reviewed_label`);--> statement-breakpoint
INSERT INTO source_theme_totals (source_id, level, basis, theme, n) SELECT i.source_id, i.level, 'model', t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO source_theme_totals (source_id, level, basis, theme, n) SELECT i.source_id, i.level, 'reviewed', t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'reviewed' WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO source_theme_totals (source_id, level, basis, theme, n) SELECT i.source_id, i.level, 'final', t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO label_theme_rollups (level, basis, label, theme, n) SELECT i.level, 'model', i.suggested_label, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'suggested' WHERE i.excluded = 0 AND i.suggested_label IS NOT NULL AND (1) GROUP BY 1, 3, 4;
--> statement-breakpoint
INSERT INTO label_theme_rollups (level, basis, label, theme, n) SELECT i.level, 'reviewed', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = 'reviewed' WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label END IS NOT NULL AND (1) GROUP BY 1, 3, 4;
--> statement-breakpoint
INSERT INTO label_theme_rollups (level, basis, label, theme, n) SELECT i.level, 'final', CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END, t.theme, count(*) FROM items i JOIN item_themes t ON t.item_id = i.id AND t.kind = CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN 'reviewed' ELSE 'suggested' END WHERE i.excluded = 0 AND CASE WHEN i.review_status IN ('reviewed','adjudicated') THEN i.reviewed_label WHEN i.review_status = 'unreviewed' THEN i.suggested_label END IS NOT NULL AND (1) GROUP BY 1, 3, 4;
