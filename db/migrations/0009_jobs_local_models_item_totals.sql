CREATE TABLE `item_totals` (
	`source_id` integer NOT NULL,
	`level` text NOT NULL,
	`tagged` integer NOT NULL,
	`n` integer NOT NULL,
	`chars` integer NOT NULL,
	PRIMARY KEY(`level`, `source_id`, `tagged`)
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`params` text NOT NULL,
	`progress` text,
	`result` text,
	`error` text,
	`tagging_run_id` integer,
	`created_by` text NOT NULL,
	`owner` text,
	`cancel_requested` integer DEFAULT false NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`started_at` text,
	`finished_at` text,
	`heartbeat_at` text,
	FOREIGN KEY (`tagging_run_id`) REFERENCES `tagging_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `jobs_state_idx` ON `jobs` (`state`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_kind_idx` ON `jobs` (`kind`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_tagging_run_idx` ON `jobs` (`tagging_run_id`);--> statement-breakpoint
CREATE TABLE `local_models` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`version` text NOT NULL,
	`codebook_id` integer NOT NULL,
	`codebook_hash` text NOT NULL,
	`training_size` integer NOT NULL,
	`training_hash` text NOT NULL,
	`last_review_id` integer NOT NULL,
	`artifact` blob NOT NULL,
	`artifact_bytes` integer NOT NULL,
	`job_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`codebook_id`) REFERENCES `codebooks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `local_models_version_unique` ON `local_models` (`version`);--> statement-breakpoint
CREATE INDEX `local_models_codebook_idx` ON `local_models` (`codebook_hash`,`id`);--> statement-breakpoint
DROP INDEX `suggestions_cache_idx`;--> statement-breakpoint
ALTER TABLE `items` ADD `chars` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `items_text_hash_idx` ON `items` (`text_hash`);--> statement-breakpoint
ALTER TABLE `tagging_runs` ADD `items_selected_at` text;--> statement-breakpoint
-- Backfill: every item's characters (passage or document text), then the planning totals from them.
UPDATE items SET chars = (SELECT length(p.text) FROM passages p WHERE p.id = items.passage_id) WHERE passage_id IS NOT NULL;
--> statement-breakpoint
UPDATE items SET chars = (SELECT length(d.text) FROM documents d WHERE d.id = items.document_id) WHERE passage_id IS NULL;
--> statement-breakpoint
INSERT INTO item_totals (source_id, level, tagged, n, chars) SELECT i.source_id, i.level, i.suggestion_count > 0, count(*), coalesce(sum(i.chars), 0) FROM items i WHERE i.excluded = 0 AND (1) GROUP BY 1, 2, 3;
--> statement-breakpoint
-- Runs recorded before runs were jobs: their item lists are complete, and one still marked running has no process left.
UPDATE tagging_runs SET items_selected_at = created_at;
--> statement-breakpoint
UPDATE tagging_runs SET status = 'interrupted', error = 'the process running this run stopped before the upgrade; resume it to continue' WHERE status IN ('running', 'pending');
