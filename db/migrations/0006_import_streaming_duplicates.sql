CREATE TABLE `document_bands` (
	`band_key` integer NOT NULL,
	`document_id` integer NOT NULL,
	PRIMARY KEY(`band_key`, `document_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `import_issues` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`import_id` integer NOT NULL,
	`kind` text NOT NULL,
	`line` integer,
	`column` text,
	`message` text NOT NULL,
	FOREIGN KEY (`import_id`) REFERENCES `imports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `import_issues_import_idx` ON `import_issues` (`import_id`,`id`);--> statement-breakpoint
ALTER TABLE `documents` ADD `published_raw` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `external_id` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `metadata` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `duplicate_of` integer REFERENCES documents(id) ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `duplicate_similarity` real;--> statement-breakpoint
CREATE INDEX `documents_external_id_idx` ON `documents` (`external_id`);--> statement-breakpoint
CREATE INDEX `documents_content_hash_idx` ON `documents` (`content_hash`);--> statement-breakpoint
CREATE INDEX `documents_duplicate_of_idx` ON `documents` (`duplicate_of`);--> statement-breakpoint
ALTER TABLE `imports` ADD `state` text DEFAULT 'complete' NOT NULL;--> statement-breakpoint
ALTER TABLE `imports` ADD `path` text;--> statement-breakpoint
ALTER TABLE `imports` ADD `file_size` integer;--> statement-breakpoint
ALTER TABLE `imports` ADD `fingerprint` text;--> statement-breakpoint
ALTER TABLE `imports` ADD `options_hash` text;--> statement-breakpoint
ALTER TABLE `imports` ADD `rows_committed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `imports` ADD `bytes_committed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `imports` ADD `passages_imported` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `imports` ADD `labels_attached` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `imports` ADD `rows_rejected` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `imports` ADD `warnings` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `imports` ADD `duplicates_linked` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `imports` ADD `updated_at` text;--> statement-breakpoint
ALTER TABLE `imports` ADD `completed_at` text;--> statement-breakpoint
CREATE INDEX `imports_resume_idx` ON `imports` (`path`,`state`);--> statement-breakpoint
UPDATE `imports` SET `passages_imported` = (SELECT count(*) FROM `passages` p JOIN `documents` d ON d.`id` = p.`document_id` WHERE d.`import_id` = `imports`.`id`);
