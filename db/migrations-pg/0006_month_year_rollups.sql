-- The month rows become month and year rows of their own sums (no data is carried over: the tables are refilled by a rebuild, as on SQLite).
ALTER TABLE "agreement_rollups_months" DROP CONSTRAINT "agreement_rollups_months_level_source_id_suggested_reviewed_month_pk";
--> statement-breakpoint
ALTER TABLE "corrected_rollups_months" DROP CONSTRAINT "corrected_rollups_months_level_source_id_suggested_reviewed_month_pk";
--> statement-breakpoint
ALTER TABLE "label_theme_rollups_months" DROP CONSTRAINT "label_theme_rollups_months_level_basis_label_theme_month_pk";
--> statement-breakpoint
ALTER TABLE "source_rollups_months" DROP CONSTRAINT "source_rollups_months_level_basis_source_id_label_month_pk";
--> statement-breakpoint
ALTER TABLE "source_stance_rollups_months" DROP CONSTRAINT "source_stance_rollups_months_level_basis_source_id_month_pk";
--> statement-breakpoint
ALTER TABLE "source_status_rollups_months" DROP CONSTRAINT "source_status_rollups_months_level_source_id_review_status_month_pk";
--> statement-breakpoint
ALTER TABLE "source_theme_totals_months" DROP CONSTRAINT "source_theme_totals_months_level_basis_source_id_theme_month_pk";
--> statement-breakpoint
TRUNCATE TABLE "agreement_rollups_months";
--> statement-breakpoint
TRUNCATE TABLE "corrected_rollups_months";
--> statement-breakpoint
TRUNCATE TABLE "label_theme_rollups_months";
--> statement-breakpoint
TRUNCATE TABLE "source_rollups_months";
--> statement-breakpoint
TRUNCATE TABLE "source_stance_rollups_months";
--> statement-breakpoint
TRUNCATE TABLE "source_status_rollups_months";
--> statement-breakpoint
TRUNCATE TABLE "source_theme_totals_months";
--> statement-breakpoint
ALTER TABLE "agreement_rollups_months" DROP COLUMN "month";
--> statement-breakpoint
ALTER TABLE "corrected_rollups_months" DROP COLUMN "month";
--> statement-breakpoint
ALTER TABLE "label_theme_rollups_months" DROP COLUMN "month";
--> statement-breakpoint
ALTER TABLE "source_rollups_months" DROP COLUMN "month";
--> statement-breakpoint
ALTER TABLE "source_stance_rollups_months" DROP COLUMN "month";
--> statement-breakpoint
ALTER TABLE "source_status_rollups_months" DROP COLUMN "month";
--> statement-breakpoint
ALTER TABLE "source_theme_totals_months" DROP COLUMN "month";
--> statement-breakpoint
ALTER TABLE "agreement_rollups_months" ADD COLUMN "granularity" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "agreement_rollups_months" ADD COLUMN "period" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "corrected_rollups_months" ADD COLUMN "granularity" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "corrected_rollups_months" ADD COLUMN "period" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "label_theme_rollups_months" ADD COLUMN "granularity" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "label_theme_rollups_months" ADD COLUMN "period" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "source_rollups_months" ADD COLUMN "granularity" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "source_rollups_months" ADD COLUMN "period" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "source_stance_rollups_months" ADD COLUMN "granularity" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "source_stance_rollups_months" ADD COLUMN "period" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "source_status_rollups_months" ADD COLUMN "granularity" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "source_status_rollups_months" ADD COLUMN "period" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "source_theme_totals_months" ADD COLUMN "granularity" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "source_theme_totals_months" ADD COLUMN "period" text NOT NULL;
--> statement-breakpoint
ALTER TABLE "agreement_rollups_months" ADD CONSTRAINT "agreement_rollups_months_level_granularity_period_source_id_suggested_reviewed_pk" PRIMARY KEY("level","granularity","period","source_id","suggested","reviewed");
--> statement-breakpoint
ALTER TABLE "corrected_rollups_months" ADD CONSTRAINT "corrected_rollups_months_level_granularity_period_source_id_suggested_reviewed_pk" PRIMARY KEY("level","granularity","period","source_id","suggested","reviewed");
--> statement-breakpoint
ALTER TABLE "label_theme_rollups_months" ADD CONSTRAINT "label_theme_rollups_months_level_basis_granularity_period_label_theme_pk" PRIMARY KEY("level","basis","granularity","period","label","theme");
--> statement-breakpoint
ALTER TABLE "source_rollups_months" ADD CONSTRAINT "source_rollups_months_level_basis_granularity_period_source_id_label_pk" PRIMARY KEY("level","basis","granularity","period","source_id","label");
--> statement-breakpoint
ALTER TABLE "source_stance_rollups_months" ADD CONSTRAINT "source_stance_rollups_months_level_basis_granularity_period_source_id_pk" PRIMARY KEY("level","basis","granularity","period","source_id");
--> statement-breakpoint
ALTER TABLE "source_status_rollups_months" ADD CONSTRAINT "source_status_rollups_months_level_granularity_period_source_id_review_status_pk" PRIMARY KEY("level","granularity","period","source_id","review_status");
--> statement-breakpoint
ALTER TABLE "source_theme_totals_months" ADD CONSTRAINT "source_theme_totals_months_level_basis_granularity_period_source_id_theme_pk" PRIMARY KEY("level","basis","granularity","period","source_id","theme");
--> statement-breakpoint
ALTER TABLE "agreement_rollups_months" ADD CONSTRAINT "agreement_rollups_months_granularity_check" CHECK ("granularity" IN ('month', 'year'));
--> statement-breakpoint
ALTER TABLE "corrected_rollups_months" ADD CONSTRAINT "corrected_rollups_months_granularity_check" CHECK ("granularity" IN ('month', 'year'));
--> statement-breakpoint
ALTER TABLE "label_theme_rollups_months" ADD CONSTRAINT "label_theme_rollups_months_granularity_check" CHECK ("granularity" IN ('month', 'year'));
--> statement-breakpoint
ALTER TABLE "source_rollups_months" ADD CONSTRAINT "source_rollups_months_granularity_check" CHECK ("granularity" IN ('month', 'year'));
--> statement-breakpoint
ALTER TABLE "source_stance_rollups_months" ADD CONSTRAINT "source_stance_rollups_months_granularity_check" CHECK ("granularity" IN ('month', 'year'));
--> statement-breakpoint
ALTER TABLE "source_status_rollups_months" ADD CONSTRAINT "source_status_rollups_months_granularity_check" CHECK ("granularity" IN ('month', 'year'));
--> statement-breakpoint
ALTER TABLE "source_theme_totals_months" ADD CONSTRAINT "source_theme_totals_months_granularity_check" CHECK ("granularity" IN ('month', 'year'));
