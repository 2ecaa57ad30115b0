CREATE TABLE "document_label_rollups_facets" (
	"document_id" integer NOT NULL,
	"level" text NOT NULL,
	"basis" text NOT NULL,
	"source_id" integer NOT NULL,
	"label" text NOT NULL,
	"review_status" text NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"prompt_version" text NOT NULL,
	"codebook_id" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "document_label_rollups_facets_level_basis_review_status_provider_model_prompt_version_codebook_id_source_id_document_id_label_pk" PRIMARY KEY("level","basis","review_status","provider","model","prompt_version","codebook_id","source_id","document_id","label"),
	CONSTRAINT "document_label_rollups_facets_level_check" CHECK ("level" IN ('passage', 'document')),
	CONSTRAINT "document_label_rollups_facets_basis_check" CHECK ("basis" IN ('model', 'people', 'people-bulk', 'final'))
);
