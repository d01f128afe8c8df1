CREATE TYPE "public"."booking_modality" AS ENUM('SSTR_PET', 'FDG_PET', 'SPECT_CT', 'PLANAR', 'CT', 'MRI', 'LAB', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."calendar_patient_label" AS ENUM('MRN', 'INITIALS');--> statement-breakpoint
CREATE TYPE "public"."care_event_kind" AS ENUM('CYCLE', 'LABS', 'SSA_WASHOUT', 'AMINO_ACIDS', 'SSA_INJECTION', 'POST_THERAPY_SCAN', 'NADIR_LABS', 'INTERIM_IMAGING', 'RESTAGING', 'FOLLOW_UP');--> statement-breakpoint
CREATE TYPE "public"."care_event_status" AS ENUM('PLANNED', 'BOOKED', 'DONE', 'MISSED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."cycle_decision_action" AS ENUM('GO', 'DELAY', 'REDUCE', 'STOP');--> statement-breakpoint
CREATE TABLE "calendar_feed" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "calendar_feed_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "care_event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"cycle_id" uuid,
	"key" text NOT NULL,
	"rule_key" text NOT NULL,
	"kind" "care_event_kind" NOT NULL,
	"label" text NOT NULL,
	"cycle_number" integer,
	"due_at" timestamp with time zone NOT NULL,
	"original_due_at" timestamp with time zone NOT NULL,
	"window_start" timestamp with time zone,
	"window_end" timestamp with time zone,
	"offset" text,
	"anchor" jsonb,
	"source" text NOT NULL,
	"status" "care_event_status" DEFAULT 'PLANNED' NOT NULL,
	"booked_at" timestamp with time zone,
	"resource" text,
	"modality" "booking_modality",
	"performed_at" timestamp with time zone,
	"fulfilled_lab_result_id" uuid,
	"fulfilled_study_id" uuid,
	"fulfilled_cycle_id" uuid,
	"status_reason" text,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cycle_decision" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"cycle_id" uuid NOT NULL,
	"action" "cycle_decision_action" NOT NULL,
	"activity_mbq" double precision,
	"reason" text NOT NULL,
	"recommendation" jsonb NOT NULL,
	"recommended_action" "cycle_decision_action",
	"override" boolean DEFAULT false NOT NULL,
	"supersedes_id" uuid,
	"decided_by" uuid NOT NULL,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pathway_setting" (
	"site_id" uuid PRIMARY KEY NOT NULL,
	"calendar_patient_label" "calendar_patient_label" DEFAULT 'MRN' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "protocol_template" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid,
	"template_key" text NOT NULL,
	"template_version" integer NOT NULL,
	"name" text NOT NULL,
	"definition" jsonb NOT NULL,
	"derived_from" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "protocol_template_site_key_version" UNIQUE NULLS NOT DISTINCT("site_id","template_key","template_version")
);
--> statement-breakpoint
CREATE TABLE "schedule_check" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"time_zone" text NOT NULL,
	"flags" jsonb NOT NULL,
	"checked_by" uuid,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "therapy_course" ADD COLUMN "protocol_template_id" uuid;--> statement-breakpoint
ALTER TABLE "therapy_course" ADD COLUMN "protocol_snapshot" jsonb;--> statement-breakpoint
ALTER TABLE "calendar_feed" ADD CONSTRAINT "calendar_feed_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feed" ADD CONSTRAINT "calendar_feed_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_event" ADD CONSTRAINT "care_event_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_event" ADD CONSTRAINT "care_event_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_event" ADD CONSTRAINT "care_event_course_id_therapy_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."therapy_course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_event" ADD CONSTRAINT "care_event_cycle_id_therapy_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."therapy_cycle"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_event" ADD CONSTRAINT "care_event_fulfilled_lab_result_id_lab_result_id_fk" FOREIGN KEY ("fulfilled_lab_result_id") REFERENCES "public"."lab_result"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_event" ADD CONSTRAINT "care_event_fulfilled_study_id_imaging_study_id_fk" FOREIGN KEY ("fulfilled_study_id") REFERENCES "public"."imaging_study"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_event" ADD CONSTRAINT "care_event_fulfilled_cycle_id_therapy_cycle_id_fk" FOREIGN KEY ("fulfilled_cycle_id") REFERENCES "public"."therapy_cycle"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_decision" ADD CONSTRAINT "cycle_decision_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_decision" ADD CONSTRAINT "cycle_decision_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_decision" ADD CONSTRAINT "cycle_decision_course_id_therapy_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."therapy_course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_decision" ADD CONSTRAINT "cycle_decision_cycle_id_therapy_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."therapy_cycle"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cycle_decision" ADD CONSTRAINT "cycle_decision_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pathway_setting" ADD CONSTRAINT "pathway_setting_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protocol_template" ADD CONSTRAINT "protocol_template_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "protocol_template" ADD CONSTRAINT "protocol_template_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_check" ADD CONSTRAINT "schedule_check_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_check" ADD CONSTRAINT "schedule_check_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_check" ADD CONSTRAINT "schedule_check_course_id_therapy_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."therapy_course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedule_check" ADD CONSTRAINT "schedule_check_checked_by_app_user_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calendar_feed_user" ON "calendar_feed" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "care_event_course_key" ON "care_event" USING btree ("course_id","key");--> statement-breakpoint
CREATE INDEX "care_event_site_due" ON "care_event" USING btree ("site_id","due_at");--> statement-breakpoint
CREATE INDEX "care_event_site_booked" ON "care_event" USING btree ("site_id","booked_at");--> statement-breakpoint
CREATE INDEX "care_event_patient" ON "care_event" USING btree ("patient_id","due_at");--> statement-breakpoint
CREATE INDEX "cycle_decision_cycle" ON "cycle_decision" USING btree ("cycle_id","decided_at");--> statement-breakpoint
CREATE INDEX "schedule_check_course" ON "schedule_check" USING btree ("course_id","checked_at");--> statement-breakpoint
ALTER TABLE "therapy_course" ADD CONSTRAINT "therapy_course_protocol_template_id_protocol_template_id_fk" FOREIGN KEY ("protocol_template_id") REFERENCES "public"."protocol_template"("id") ON DELETE no action ON UPDATE no action;