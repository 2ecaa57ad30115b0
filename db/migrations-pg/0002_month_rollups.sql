CREATE TABLE "agreement_rollups_months" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"suggested" text NOT NULL,
	"reviewed" text NOT NULL,
	"month" text NOT NULL,
	"n" integer NOT NULL,
	"abs_diff" bigint NOT NULL,
	"stance_pairs" bigint NOT NULL,
	CONSTRAINT "agreement_rollups_months_level_source_id_suggested_reviewed_month_pk" PRIMARY KEY("level","source_id","suggested","reviewed","month"),
	CONSTRAINT "agreement_rollups_months_level_check" CHECK ("level" IN ('passage', 'document'))
);
--> statement-breakpoint
CREATE TABLE "corrected_rollups_months" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"suggested" text NOT NULL,
	"reviewed" text NOT NULL,
	"month" text NOT NULL,
	"n" integer NOT NULL,
	"sm" bigint NOT NULL,
	"smm" bigint NOT NULL,
	"sns" bigint NOT NULL,
	"sd" bigint NOT NULL,
	"sdd" bigint NOT NULL,
	"smd" bigint NOT NULL,
	CONSTRAINT "corrected_rollups_months_level_source_id_suggested_reviewed_month_pk" PRIMARY KEY("level","source_id","suggested","reviewed","month"),
	CONSTRAINT "corrected_rollups_months_level_check" CHECK ("level" IN ('passage', 'document'))
);
--> statement-breakpoint
CREATE TABLE "label_theme_rollups_months" (
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"label" text NOT NULL,
	"theme" text NOT NULL,
	"month" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "label_theme_rollups_months_level_basis_label_theme_month_pk" PRIMARY KEY("level","basis","label","theme","month"),
	CONSTRAINT "label_theme_rollups_months_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "label_theme_rollups_months_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final'))
);
--> statement-breakpoint
CREATE TABLE "source_rollups_months" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"label" text NOT NULL,
	"month" text NOT NULL,
	"n" integer NOT NULL,
	"stance_n" integer NOT NULL,
	"stance_sum" bigint NOT NULL,
	CONSTRAINT "source_rollups_months_level_basis_source_id_label_month_pk" PRIMARY KEY("level","basis","source_id","label","month"),
	CONSTRAINT "source_rollups_months_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "source_rollups_months_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final'))
);
--> statement-breakpoint
CREATE TABLE "source_stance_rollups_months" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"month" text NOT NULL,
	"documents" integer NOT NULL,
	"n" integer NOT NULL,
	"s" bigint NOT NULL,
	"ss" bigint NOT NULL,
	"sn" bigint NOT NULL,
	"nn" bigint NOT NULL,
	CONSTRAINT "source_stance_rollups_months_level_basis_source_id_month_pk" PRIMARY KEY("level","basis","source_id","month"),
	CONSTRAINT "source_stance_rollups_months_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "source_stance_rollups_months_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final'))
);
--> statement-breakpoint
CREATE TABLE "source_status_rollups_months" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"review_status" text NOT NULL,
	"month" text NOT NULL,
	"n" integer NOT NULL,
	"suggested" integer NOT NULL,
	"random_sample" integer NOT NULL,
	CONSTRAINT "source_status_rollups_months_level_source_id_review_status_month_pk" PRIMARY KEY("level","source_id","review_status","month"),
	CONSTRAINT "source_status_rollups_months_level_check" CHECK ("level" IN ('passage', 'document'))
);
--> statement-breakpoint
CREATE TABLE "source_theme_totals_months" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"theme" text NOT NULL,
	"month" text NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "source_theme_totals_months_level_basis_source_id_theme_month_pk" PRIMARY KEY("level","basis","source_id","theme","month"),
	CONSTRAINT "source_theme_totals_months_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "source_theme_totals_months_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final'))
);
