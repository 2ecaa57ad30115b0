CREATE TABLE "agreement_rollups_facets" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"suggested" text NOT NULL,
	"reviewed" text NOT NULL,
	"review_status" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"prompt_version" text NOT NULL,
	"codebook_id" integer NOT NULL,
	"n" integer NOT NULL,
	"abs_diff" bigint NOT NULL,
	"stance_pairs" bigint NOT NULL,
	CONSTRAINT "agreement_rollups_facets_level_source_id_suggested_reviewed_review_status_provider_model_prompt_version_codebook_id_pk" PRIMARY KEY("level","source_id","suggested","reviewed","review_status","provider","model","prompt_version","codebook_id"),
	CONSTRAINT "agreement_rollups_facets_level_check" CHECK ("level" IN ('passage', 'document'))
);
--> statement-breakpoint
CREATE TABLE "corrected_rollups_facets" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"suggested" text NOT NULL,
	"reviewed" text NOT NULL,
	"review_status" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"prompt_version" text NOT NULL,
	"codebook_id" integer NOT NULL,
	"n" integer NOT NULL,
	"sm" bigint NOT NULL,
	"smm" bigint NOT NULL,
	"sns" bigint NOT NULL,
	"sd" bigint NOT NULL,
	"sdd" bigint NOT NULL,
	"smd" bigint NOT NULL,
	CONSTRAINT "corrected_rollups_facets_level_source_id_suggested_reviewed_review_status_provider_model_prompt_version_codebook_id_pk" PRIMARY KEY("level","source_id","suggested","reviewed","review_status","provider","model","prompt_version","codebook_id"),
	CONSTRAINT "corrected_rollups_facets_level_check" CHECK ("level" IN ('passage', 'document'))
);
--> statement-breakpoint
CREATE TABLE "label_theme_rollups_facets" (
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"label" text NOT NULL,
	"theme" text NOT NULL,
	"review_status" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"prompt_version" text NOT NULL,
	"codebook_id" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "label_theme_rollups_facets_level_basis_label_theme_review_status_provider_model_prompt_version_codebook_id_pk" PRIMARY KEY("level","basis","label","theme","review_status","provider","model","prompt_version","codebook_id"),
	CONSTRAINT "label_theme_rollups_facets_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "label_theme_rollups_facets_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final'))
);
--> statement-breakpoint
CREATE TABLE "source_rollups_facets" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"label" text NOT NULL,
	"review_status" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"prompt_version" text NOT NULL,
	"codebook_id" integer NOT NULL,
	"n" integer NOT NULL,
	"stance_n" integer NOT NULL,
	"stance_sum" bigint NOT NULL,
	CONSTRAINT "source_rollups_facets_level_basis_source_id_label_review_status_provider_model_prompt_version_codebook_id_pk" PRIMARY KEY("level","basis","source_id","label","review_status","provider","model","prompt_version","codebook_id"),
	CONSTRAINT "source_rollups_facets_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "source_rollups_facets_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final'))
);
--> statement-breakpoint
CREATE TABLE "source_status_rollups_facets" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"review_status" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"prompt_version" text NOT NULL,
	"codebook_id" integer NOT NULL,
	"n" integer NOT NULL,
	"suggested" integer NOT NULL,
	"random_sample" integer NOT NULL,
	CONSTRAINT "source_status_rollups_facets_level_source_id_review_status_provider_model_prompt_version_codebook_id_pk" PRIMARY KEY("level","source_id","review_status","provider","model","prompt_version","codebook_id"),
	CONSTRAINT "source_status_rollups_facets_level_check" CHECK ("level" IN ('passage', 'document'))
);
--> statement-breakpoint
CREATE TABLE "source_theme_totals_facets" (
	"source_id" integer NOT NULL,
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"theme" text NOT NULL,
	"review_status" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"prompt_version" text NOT NULL,
	"codebook_id" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "source_theme_totals_facets_level_basis_source_id_theme_review_status_provider_model_prompt_version_codebook_id_pk" PRIMARY KEY("level","basis","source_id","theme","review_status","provider","model","prompt_version","codebook_id"),
	CONSTRAINT "source_theme_totals_facets_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "source_theme_totals_facets_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final'))
);
