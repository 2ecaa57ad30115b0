CREATE TABLE `source_groups` (
	`source_id` integer NOT NULL,
	`grouping` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`source_id`, `grouping`),
	FOREIGN KEY (`source_id`) REFERENCES `sources`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `source_groups_grouping_idx` ON `source_groups` (`grouping`,`value`);--> statement-breakpoint
ALTER TABLE `sources` ADD `language` text;