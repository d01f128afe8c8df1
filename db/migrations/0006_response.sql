CREATE TYPE "public"."response_assessment_status" AS ENUM('DRAFT', 'SIGNED');--> statement-breakpoint
CREATE TABLE "response_assessment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"baseline_study_id" uuid NOT NULL,
	"follow_up_study_id" uuid NOT NULL,
	"status" "response_assessment_status" DEFAULT 'DRAFT' NOT NULL,
	"target_lesion_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"non_target_response" text,
	"non_target_pd_reason" text,
	"baseline_liver_suv_mean" double precision,
	"baseline_liver_suv_sd" double precision,
	"follow_up_liver_suv_mean" double precision,
	"follow_up_liver_suv_sd" double precision,
	"selection_note" text,
	"conclusion_criterion" text,
	"conclusion_category" text,
	"conclusion_computed_category" text,
	"conclusion_overridden" boolean DEFAULT false NOT NULL,
	"conclusion_reason" text,
	"concluded_by" uuid,
	"concluded_at" timestamp with time zone,
	"computed" jsonb,
	"signed_by" uuid,
	"signed_at" timestamp with time zone,
	"amends_id" uuid,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "response_assessment" ADD CONSTRAINT "response_assessment_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_assessment" ADD CONSTRAINT "response_assessment_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_assessment" ADD CONSTRAINT "response_assessment_baseline_study_id_imaging_study_id_fk" FOREIGN KEY ("baseline_study_id") REFERENCES "public"."imaging_study"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_assessment" ADD CONSTRAINT "response_assessment_follow_up_study_id_imaging_study_id_fk" FOREIGN KEY ("follow_up_study_id") REFERENCES "public"."imaging_study"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_assessment" ADD CONSTRAINT "response_assessment_concluded_by_app_user_id_fk" FOREIGN KEY ("concluded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_assessment" ADD CONSTRAINT "response_assessment_signed_by_app_user_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_assessment" ADD CONSTRAINT "response_assessment_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "response_assessment_patient" ON "response_assessment" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE INDEX "response_assessment_site_status" ON "response_assessment" USING btree ("site_id","status");