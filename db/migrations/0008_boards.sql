CREATE TYPE "public"."board_decision_status" AS ENUM('DRAFT', 'SIGNED');--> statement-breakpoint
CREATE TYPE "public"."board_meeting_status" AS ENUM('SCHEDULED', 'IN_PROGRESS', 'CLOSED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."board_outcome" AS ENUM('START_PRRT', 'CONTINUE', 'MODIFY_ACTIVITY', 'DELAY', 'STOP', 'RETREATMENT', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."board_question" AS ENUM('ELIGIBILITY', 'CONTINUE_OR_MODIFY', 'RESPONSE', 'RETREATMENT', 'OTHER');--> statement-breakpoint
CREATE TABLE "board_case" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"question" "board_question" NOT NULL,
	"question_text" text,
	"position" integer NOT NULL,
	"removed_at" timestamp with time zone,
	"removed_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "board_case_snapshot" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"content" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"frozen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"frozen_by" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "board_decision" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"snapshot_id" uuid NOT NULL,
	"outcome" "board_outcome" NOT NULL,
	"protocol_template_id" uuid,
	"radiopharmaceutical_id" uuid,
	"planned_cycles" integer,
	"activity_per_cycle_gbq" double precision,
	"new_activity_gbq" double precision,
	"delay_until" date,
	"delay_weeks" integer,
	"rationale" text NOT NULL,
	"votes_for" integer,
	"votes_against" integer,
	"votes_abstain" integer,
	"consensus" boolean DEFAULT false NOT NULL,
	"status" "board_decision_status" DEFAULT 'DRAFT' NOT NULL,
	"amends_id" uuid,
	"recorded_by" uuid NOT NULL,
	"signed_at" timestamp with time zone,
	"signed_by" uuid,
	"content_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "board_decision_course" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"decision_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "board_meeting" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"title" text NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"location" text,
	"chair_user_id" uuid NOT NULL,
	"attendee_user_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"status" "board_meeting_status" DEFAULT 'SCHEDULED' NOT NULL,
	"started_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"cancel_reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "board_case" ADD CONSTRAINT "board_case_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_case" ADD CONSTRAINT "board_case_meeting_id_board_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."board_meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_case" ADD CONSTRAINT "board_case_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_case" ADD CONSTRAINT "board_case_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_case_snapshot" ADD CONSTRAINT "board_case_snapshot_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_case_snapshot" ADD CONSTRAINT "board_case_snapshot_case_id_board_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."board_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_case_snapshot" ADD CONSTRAINT "board_case_snapshot_meeting_id_board_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."board_meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_case_snapshot" ADD CONSTRAINT "board_case_snapshot_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_case_snapshot" ADD CONSTRAINT "board_case_snapshot_frozen_by_app_user_id_fk" FOREIGN KEY ("frozen_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision" ADD CONSTRAINT "board_decision_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision" ADD CONSTRAINT "board_decision_case_id_board_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."board_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision" ADD CONSTRAINT "board_decision_meeting_id_board_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."board_meeting"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision" ADD CONSTRAINT "board_decision_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision" ADD CONSTRAINT "board_decision_snapshot_id_board_case_snapshot_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."board_case_snapshot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision" ADD CONSTRAINT "board_decision_protocol_template_id_protocol_template_id_fk" FOREIGN KEY ("protocol_template_id") REFERENCES "public"."protocol_template"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision" ADD CONSTRAINT "board_decision_radiopharmaceutical_id_radiopharmaceutical_id_fk" FOREIGN KEY ("radiopharmaceutical_id") REFERENCES "public"."radiopharmaceutical"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision" ADD CONSTRAINT "board_decision_amends_id_board_decision_id_fk" FOREIGN KEY ("amends_id") REFERENCES "public"."board_decision"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision" ADD CONSTRAINT "board_decision_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision" ADD CONSTRAINT "board_decision_signed_by_app_user_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision_course" ADD CONSTRAINT "board_decision_course_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision_course" ADD CONSTRAINT "board_decision_course_decision_id_board_decision_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."board_decision"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision_course" ADD CONSTRAINT "board_decision_course_course_id_therapy_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."therapy_course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_decision_course" ADD CONSTRAINT "board_decision_course_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_meeting" ADD CONSTRAINT "board_meeting_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_meeting" ADD CONSTRAINT "board_meeting_chair_user_id_app_user_id_fk" FOREIGN KEY ("chair_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_meeting" ADD CONSTRAINT "board_meeting_created_by_app_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "board_case_meeting" ON "board_case" USING btree ("meeting_id","position");--> statement-breakpoint
CREATE INDEX "board_case_patient" ON "board_case" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "board_case_snapshot_case" ON "board_case_snapshot" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "board_decision_case" ON "board_decision" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "board_decision_patient" ON "board_decision" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "board_decision_amends" ON "board_decision" USING btree ("amends_id");--> statement-breakpoint
CREATE UNIQUE INDEX "board_decision_course_decision" ON "board_decision_course" USING btree ("decision_id");--> statement-breakpoint
CREATE INDEX "board_meeting_site_at" ON "board_meeting" USING btree ("site_id","scheduled_at");