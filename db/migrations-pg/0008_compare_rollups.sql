CREATE TABLE "compare_label_rollups" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"label" text NOT NULL,
	"documents" integer NOT NULL,
	"c" integer NOT NULL,
	"cc" bigint NOT NULL,
	"cn" bigint NOT NULL,
	CONSTRAINT "compare_label_rollups_level_basis_source_id_label_pk" PRIMARY KEY("level","basis","source_id","label"),
	CONSTRAINT "compare_label_rollups_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "compare_label_rollups_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final'))
);
--> statement-breakpoint
CREATE TABLE "compare_label_rollups_months" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"label" text NOT NULL,
	"granularity" text NOT NULL,
	"period" text NOT NULL,
	"documents" integer NOT NULL,
	"c" integer NOT NULL,
	"cc" bigint NOT NULL,
	"cn" bigint NOT NULL,
	CONSTRAINT "compare_label_rollups_months_level_basis_granularity_period_source_id_label_pk" PRIMARY KEY("level","basis","granularity","period","source_id","label"),
	CONSTRAINT "compare_label_rollups_months_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "compare_label_rollups_months_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final')),
	CONSTRAINT "compare_label_rollups_months_granularity_check" CHECK ("granularity" IN ('month', 'year'))
);
--> statement-breakpoint
CREATE TABLE "compare_source_rollups" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"documents" integer NOT NULL,
	"counted_documents" integer NOT NULL,
	"n" integer NOT NULL,
	"nn" bigint NOT NULL,
	CONSTRAINT "compare_source_rollups_level_basis_source_id_pk" PRIMARY KEY("level","basis","source_id"),
	CONSTRAINT "compare_source_rollups_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "compare_source_rollups_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final'))
);
--> statement-breakpoint
CREATE TABLE "compare_source_rollups_months" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"granularity" text NOT NULL,
	"period" text NOT NULL,
	"documents" integer NOT NULL,
	"counted_documents" integer NOT NULL,
	"n" integer NOT NULL,
	"nn" bigint NOT NULL,
	CONSTRAINT "compare_source_rollups_months_level_basis_granularity_period_source_id_pk" PRIMARY KEY("level","basis","granularity","period","source_id"),
	CONSTRAINT "compare_source_rollups_months_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "compare_source_rollups_months_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final')),
	CONSTRAINT "compare_source_rollups_months_granularity_check" CHECK ("granularity" IN ('month', 'year'))
);
--> statement-breakpoint
CREATE TABLE "document_label_rollups" (
	"document_id" integer NOT NULL,
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"source_id" integer NOT NULL,
	"label" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "document_label_rollups_level_basis_document_id_source_id_label_pk" PRIMARY KEY("level","basis","document_id","source_id","label"),
	CONSTRAINT "document_label_rollups_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "document_label_rollups_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final'))
);
--> statement-breakpoint
CREATE INDEX "document_label_rollups_source_idx" ON "document_label_rollups" USING btree ("level","basis","source_id","document_id");