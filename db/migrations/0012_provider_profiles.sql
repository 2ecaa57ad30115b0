CREATE TABLE `provider_profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`preset` text NOT NULL,
	`base_url` text NOT NULL,
	`default_model` text NOT NULL,
	`azure_api_version` text,
	`input_per_mtok` real,
	`output_per_mtok` real,
	`concurrency` integer DEFAULT 4 NOT NULL,
	`key_ref` text NOT NULL,
	`last_test` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `provider_profiles_name_unique` ON `provider_profiles` (`name`);