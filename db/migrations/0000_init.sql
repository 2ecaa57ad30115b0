CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` integer,
	`item_id` integer,
	`before` text,
	`after` text,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_item_idx` ON `audit_log` (`item_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `codebooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`version` text NOT NULL,
	`hash` text NOT NULL,
	`definition` text NOT NULL,
	`active` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `codebooks_name_version_uq` ON `codebooks` (`name`,`version`);--> statement-breakpoint
CREATE TABLE `prompt_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`version` text NOT NULL,
	`level` text NOT NULL,
	`hash` text NOT NULL,
	`template` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompt_versions_name_version_uq` ON `prompt_versions` (`name`,`version`);--> statement-breakpoint
CREATE TABLE `documents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_id` integer NOT NULL,
	`import_id` integer,
	`title` text NOT NULL,
	`author` text,
	`published` text,
	`published_precision` text,
	`published_start` text,
	`url` text,
	`language` text,
	`notes` text,
	`origin` text,
	`text` text NOT NULL,
	`content_hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `documents_source_hash_uq` ON `documents` (`source_id`,`content_hash`);--> statement-breakpoint
CREATE INDEX `documents_published_idx` ON `documents` (`published_start`);--> statement-breakpoint
CREATE INDEX `documents_import_idx` ON `documents` (`import_id`);--> statement-breakpoint
CREATE TABLE `imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`filename` text,
	`format` text NOT NULL,
	`origin` text NOT NULL,
	`documents_imported` integer DEFAULT 0 NOT NULL,
	`documents_unchanged` integer DEFAULT 0 NOT NULL,
	`labels_imported` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `item_themes` (
	`item_id` integer NOT NULL,
	`kind` text NOT NULL,
	`theme` text NOT NULL,
	PRIMARY KEY(`item_id`, `kind`, `theme`),
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `item_themes_theme_idx` ON `item_themes` (`theme`,`kind`);--> statement-breakpoint
CREATE TABLE `items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`level` text NOT NULL,
	`document_id` integer NOT NULL,
	`passage_id` integer,
	`source_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`text_hash` text NOT NULL,
	`excluded` integer DEFAULT false NOT NULL,
	`random_key` real NOT NULL,
	`suggestion_count` integer DEFAULT 0 NOT NULL,
	`latest_suggestion_id` integer,
	`suggested_label` text,
	`suggested_stance` integer,
	`suggested_confidence` real,
	`suggestion_agreement` real,
	`review_status` text DEFAULT 'unreviewed' NOT NULL,
	`review_count` integer DEFAULT 0 NOT NULL,
	`decision_review_id` integer,
	`reviewed_label` text,
	`reviewed_stance` integer,
	`final_origin` text,
	`version` integer DEFAULT 0 NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`passage_id`) REFERENCES `passages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `items_passage_uq` ON `items` (`passage_id`);--> statement-breakpoint
CREATE INDEX `items_document_idx` ON `items` (`document_id`,`level`,`seq`);--> statement-breakpoint
CREATE INDEX `items_source_level_idx` ON `items` (`source_id`,`level`,`excluded`);--> statement-breakpoint
CREATE INDEX `items_queue_conf_idx` ON `items` (`level`,`review_status`,`suggested_confidence`);--> statement-breakpoint
CREATE INDEX `items_queue_random_idx` ON `items` (`level`,`review_status`,`random_key`);--> statement-breakpoint
CREATE INDEX `items_suggested_label_idx` ON `items` (`level`,`suggested_label`);--> statement-breakpoint
CREATE TABLE `passages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`document_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`text` text NOT NULL,
	`excluded` integer DEFAULT false NOT NULL,
	`excluded_reason` text,
	`excluded_by` text,
	`auto_excluded` integer DEFAULT false NOT NULL,
	`auto_excluded_reason` text,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `passages_document_seq_uq` ON `passages` (`document_id`,`seq`);--> statement-breakpoint
CREATE TABLE `review_themes` (
	`review_id` integer NOT NULL,
	`theme` text NOT NULL,
	PRIMARY KEY(`review_id`, `theme`),
	FOREIGN KEY (`review_id`) REFERENCES `reviews`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`reviewer_id` integer NOT NULL,
	`action` text NOT NULL,
	`kind` text DEFAULT 'manual' NOT NULL,
	`codebook_id` integer,
	`label` text,
	`stance` integer,
	`themes` text,
	`note` text,
	`suggestion_id` integer,
	`shown` text,
	`based_on_version` integer,
	`blind` integer DEFAULT false NOT NULL,
	`queue_order` text,
	`undoes_review_id` integer,
	`import_id` integer,
	`time_spent_ms` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`codebook_id`) REFERENCES `codebooks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`suggestion_id`) REFERENCES `suggestions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reviews_item_idx` ON `reviews` (`item_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `reviews_reviewer_idx` ON `reviews` (`reviewer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `sources` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`country` text,
	`url` text,
	`notes` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sources_name_unique` ON `sources` (`name`);--> statement-breakpoint
CREATE TABLE `suggestion_themes` (
	`suggestion_id` integer NOT NULL,
	`theme` text NOT NULL,
	PRIMARY KEY(`suggestion_id`, `theme`),
	FOREIGN KEY (`suggestion_id`) REFERENCES `suggestions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `suggestions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`run_id` integer,
	`codebook_id` integer NOT NULL,
	`label` text NOT NULL,
	`stance` integer NOT NULL,
	`themes` text NOT NULL,
	`confidence` real,
	`rationale` text,
	`evidence` text NOT NULL,
	`substantive` integer DEFAULT true NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	`prompt_hash` text NOT NULL,
	`codebook_version` text NOT NULL,
	`codebook_hash` text NOT NULL,
	`params` text NOT NULL,
	`outlet_masked` integer DEFAULT false NOT NULL,
	`sample_index` integer DEFAULT 0 NOT NULL,
	`tokens_in` integer,
	`tokens_out` integer,
	`cost_usd` real,
	`latency_ms` integer,
	`request_id` text,
	`raw_response` text,
	`cache_key` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`run_id`) REFERENCES `tagging_runs`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`codebook_id`) REFERENCES `codebooks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `suggestions_item_idx` ON `suggestions` (`item_id`);--> statement-breakpoint
CREATE INDEX `suggestions_run_idx` ON `suggestions` (`run_id`);--> statement-breakpoint
CREATE INDEX `suggestions_cache_idx` ON `suggestions` (`cache_key`);--> statement-breakpoint
CREATE INDEX `suggestions_model_idx` ON `suggestions` (`provider`,`model`,`prompt_version`);--> statement-breakpoint
CREATE TABLE `tagging_run_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` integer NOT NULL,
	`item_id` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error_kind` text,
	`error` text,
	`updated_at` text,
	FOREIGN KEY (`run_id`) REFERENCES `tagging_runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tagging_run_items_uq` ON `tagging_run_items` (`run_id`,`item_id`);--> statement-breakpoint
CREATE INDEX `tagging_run_items_status_idx` ON `tagging_run_items` (`run_id`,`status`);--> statement-breakpoint
CREATE TABLE `tagging_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`codebook_id` integer NOT NULL,
	`prompt_versions` text NOT NULL,
	`selection` text NOT NULL,
	`options` text NOT NULL,
	`items_total` integer DEFAULT 0 NOT NULL,
	`items_done` integer DEFAULT 0 NOT NULL,
	`items_failed` integer DEFAULT 0 NOT NULL,
	`items_cached` integer DEFAULT 0 NOT NULL,
	`tokens_in` integer DEFAULT 0 NOT NULL,
	`tokens_out` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`estimated_cost_usd` real,
	`budget_usd` real,
	`error` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`started_at` text,
	`finished_at` text,
	`heartbeat_at` text,
	FOREIGN KEY (`codebook_id`) REFERENCES `codebooks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`role` text DEFAULT 'reviewer' NOT NULL,
	`password_hash` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_name_unique` ON `users` (`name`);