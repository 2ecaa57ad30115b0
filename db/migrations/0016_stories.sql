CREATE TABLE `stories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`origin` text NOT NULL,
	`created_by` text NOT NULL,
	`job_id` integer,
	`edited` integer DEFAULT false NOT NULL,
	`title_edited` integer DEFAULT false NOT NULL,
	`edited_by` text,
	`edited_at` text,
	`document_count` integer DEFAULT 0 NOT NULL,
	`source_count` integer DEFAULT 0 NOT NULL,
	`first_published` text,
	`last_published` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `stories_first_published_idx` ON `stories` (`first_published`,`id`);--> statement-breakpoint
CREATE INDEX `stories_edited_idx` ON `stories` (`edited`);--> statement-breakpoint
CREATE TABLE `story_documents` (
	`document_id` integer PRIMARY KEY NOT NULL,
	`story_id` integer NOT NULL,
	`added_by` text NOT NULL,
	`added_by_name` text NOT NULL,
	`method` text NOT NULL,
	`similarity` real,
	`note` text,
	`added_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`story_id`) REFERENCES `stories`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `story_documents_story_idx` ON `story_documents` (`story_id`,`document_id`);--> statement-breakpoint
CREATE TABLE `story_removals` (
	`story_id` integer NOT NULL,
	`document_id` integer NOT NULL,
	`removed_by` text NOT NULL,
	`removed_at` text NOT NULL,
	PRIMARY KEY(`story_id`, `document_id`),
	FOREIGN KEY (`story_id`) REFERENCES `stories`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `story_removals_document_idx` ON `story_removals` (`document_id`);