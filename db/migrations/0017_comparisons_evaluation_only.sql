CREATE TABLE `model_comparison_items` (
	`comparison_id` integer NOT NULL,
	`item_id` integer NOT NULL,
	PRIMARY KEY(`comparison_id`, `item_id`),
	FOREIGN KEY (`comparison_id`) REFERENCES `model_comparisons`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `model_comparison_items_item_idx` ON `model_comparison_items` (`item_id`);--> statement-breakpoint
CREATE TABLE `model_comparisons` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`codebook_id` integer NOT NULL,
	`levels` text NOT NULL,
	`sample_size` integer NOT NULL,
	`seed` integer NOT NULL,
	`selection` text NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`codebook_id`) REFERENCES `codebooks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `imports` ADD `evaluation_only` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tagging_runs` ADD `comparison_id` integer REFERENCES model_comparisons(id);--> statement-breakpoint
CREATE INDEX `tagging_runs_comparison_idx` ON `tagging_runs` (`comparison_id`);