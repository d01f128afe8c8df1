CREATE TYPE "public"."dosimetry_status" AS ENUM('DRAFT', 'SIGNED');--> statement-breakpoint
CREATE TYPE "public"."phantom_sex" AS ENUM('FEMALE', 'MALE');--> statement-breakpoint
CREATE TABLE "dosimetry_record" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"cycle_id" uuid NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"previous_id" uuid,
	"amend_reason" text,
	"status" "dosimetry_status" DEFAULT 'DRAFT' NOT NULL,
	"phantom_sex" "phantom_sex",
	"administered_activity_mbq" double precision NOT NULL,
	"administered_at" timestamp with time zone NOT NULL,
	"calibration_factor_cps_per_mbq" double precision,
	"activity_rel_sd" double precision DEFAULT 0.1 NOT NULL,
	"calibration_rel_sd" double precision DEFAULT 0.05 NOT NULL,
	"mass_rel_sd" double precision DEFAULT 0.1 NOT NULL,
	"timepoints" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"vois" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"notes" text,
	"results" jsonb,
	"signed_at" timestamp with time zone,
	"signed_by" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dosimetry_record" ADD CONSTRAINT "dosimetry_record_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dosimetry_record" ADD CONSTRAINT "dosimetry_record_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dosimetry_record" ADD CONSTRAINT "dosimetry_record_course_id_therapy_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."therapy_course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dosimetry_record" ADD CONSTRAINT "dosimetry_record_cycle_id_therapy_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."therapy_cycle"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dosimetry_record" ADD CONSTRAINT "dosimetry_record_previous_id_dosimetry_record_id_fk" FOREIGN KEY ("previous_id") REFERENCES "public"."dosimetry_record"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dosimetry_record" ADD CONSTRAINT "dosimetry_record_signed_by_app_user_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dosimetry_record" ADD CONSTRAINT "dosimetry_record_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dosimetry_record_cycle_revision" ON "dosimetry_record" USING btree ("cycle_id","revision");--> statement-breakpoint
CREATE UNIQUE INDEX "dosimetry_record_one_draft" ON "dosimetry_record" USING btree ("cycle_id") WHERE status = 'DRAFT';--> statement-breakpoint
CREATE INDEX "dosimetry_record_patient" ON "dosimetry_record" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "dosimetry_record_site_status" ON "dosimetry_record" USING btree ("site_id","status");