CREATE TABLE `tagging_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`status` text DEFAULT 'preparing' NOT NULL,
	`round` integer DEFAULT 1 NOT NULL,
	`requests` integer DEFAULT 0 NOT NULL,
	`bytes` integer DEFAULT 0 NOT NULL,
	`input_file_id` text,
	`provider_batch_id` text,
	`provider_status` text,
	`requests_completed` integer DEFAULT 0 NOT NULL,
	`requests_failed` integer DEFAULT 0 NOT NULL,
	`output_file_id` text,
	`error_file_id` text,
	`error` text,
	`created_at` text NOT NULL,
	`submitted_at` text,
	`finished_at` text,
	FOREIGN KEY (`run_id`) REFERENCES `tagging_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tagging_batches_run_idx` ON `tagging_batches` (`run_id`,`status`);--> statement-breakpoint
ALTER TABLE `tagging_run_items` ADD `batch_id` integer REFERENCES tagging_batches(id);--> statement-breakpoint
CREATE INDEX `tagging_run_items_batch_idx` ON `tagging_run_items` (`batch_id`);