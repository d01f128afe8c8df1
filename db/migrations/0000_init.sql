CREATE TYPE "public"."audit_outcome" AS ENUM('SUCCESS', 'DENIED', 'FAILURE');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('ADMIN', 'COORDINATOR', 'PHYSICIAN', 'PHYSICIST', 'BOARD_MEMBER', 'VIEWER');--> statement-breakpoint
CREATE TYPE "public"."course_intent" AS ENUM('STANDARD', 'DOSIMETRY_GUIDED', 'RETREATMENT', 'CLINICAL_TRIAL');--> statement-breakpoint
CREATE TYPE "public"."course_status" AS ENUM('PLANNED', 'ACTIVE', 'COMPLETED', 'STOPPED');--> statement-breakpoint
CREATE TYPE "public"."cycle_status" AS ENUM('PLANNED', 'READY', 'ADMINISTERED', 'DELAYED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."differentiation" AS ENUM('WELL', 'POORLY', 'UNKNOWN');--> statement-breakpoint
CREATE TYPE "public"."lab_analyte" AS ENUM('CREATININE', 'EGFR', 'CREATININE_CLEARANCE', 'HAEMOGLOBIN', 'WBC', 'NEUTROPHILS', 'LYMPHOCYTES', 'PLATELETS', 'BILIRUBIN', 'ALBUMIN', 'ALT', 'AST', 'CHROMOGRANIN_A');--> statement-breakpoint
CREATE TYPE "public"."measurement_method" AS ENUM('MANUAL', 'THRESHOLD', 'PERCENT_MAX', 'PERCIST', 'ROI', 'IMPORTED');--> statement-breakpoint
CREATE TYPE "public"."modality" AS ENUM('PET', 'SPECT', 'CT', 'MRI');--> statement-breakpoint
CREATE TYPE "public"."patient_status" AS ENUM('REFERRED', 'IN_WORKUP', 'ON_TREATMENT', 'FOLLOW_UP', 'CLOSED');--> statement-breakpoint
CREATE TYPE "public"."radiopharmaceutical_target" AS ENUM('SSTR', 'GLUCOSE', 'AADC', 'SEROTONIN', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."radiopharmaceutical_use" AS ENUM('PET', 'SPECT', 'THERAPY');--> statement-breakpoint
CREATE TYPE "public"."sex" AS ENUM('FEMALE', 'MALE', 'OTHER', 'UNKNOWN');--> statement-breakpoint
CREATE TYPE "public"."study_purpose" AS ENUM('BASELINE', 'POST_THERAPY', 'INTERIM', 'RESTAGING', 'FOLLOW_UP');--> statement-breakpoint
CREATE TYPE "public"."who_grade" AS ENUM('G1', 'G2', 'G3', 'NEC', 'UNKNOWN');--> statement-breakpoint
CREATE TABLE "app_user" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "app_user_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "audit_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"site_id" uuid,
	"action" text NOT NULL,
	"entity_type" text,
	"entity_id" uuid,
	"patient_id" uuid,
	"outcome" "audit_outcome" NOT NULL,
	"request_id" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "membership" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"role" "role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "record_revision" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site_id" uuid NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"data" jsonb NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "session" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "session_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "site" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"time_zone" text DEFAULT 'Europe/Amsterdam' NOT NULL,
	"mrn_pattern" text DEFAULT '^[A-Z0-9-]{3,20}$' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "site_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "body_weight" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"weight_kg" double precision NOT NULL,
	"measured_at" timestamp with time zone NOT NULL,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "diagnosis" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"primary_site" text NOT NULL,
	"histology" text NOT NULL,
	"who_grade" "who_grade" NOT NULL,
	"ki67_percent" double precision,
	"differentiation" "differentiation" NOT NULL,
	"functional_syndrome" text,
	"diagnosed_on" date NOT NULL,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "imaging_study" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"modality" "modality" NOT NULL,
	"tracer_id" uuid,
	"performed_at" timestamp with time zone NOT NULL,
	"injected_activity_mbq" double precision,
	"injected_at" timestamp with time zone,
	"weight_kg" double precision,
	"purpose" "study_purpose" NOT NULL,
	"cycle_id" uuid,
	"study_instance_uid" text,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lab_result" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"analyte" "lab_analyte" NOT NULL,
	"value" double precision NOT NULL,
	"unit" text NOT NULL,
	"reported_value" double precision NOT NULL,
	"reported_unit" text NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lesion" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"label" text NOT NULL,
	"organ" text NOT NULL,
	"location" text,
	"first_seen_on" date NOT NULL,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lesion_measurement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"lesion_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"suv_max" double precision,
	"suv_peak" double precision,
	"suv_mean" double precision,
	"mtv_ml" double precision,
	"tlg" double precision,
	"long_axis_mm" double precision,
	"short_axis_mm" double precision,
	"krenning_score" integer,
	"is_target" boolean DEFAULT false NOT NULL,
	"method" "measurement_method" NOT NULL,
	"provenance" jsonb,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patient" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"mrn" text NOT NULL,
	"family_name" text NOT NULL,
	"given_name" text NOT NULL,
	"birth_date" date NOT NULL,
	"sex" "sex" NOT NULL,
	"height_cm" double precision,
	"status" "patient_status" DEFAULT 'REFERRED' NOT NULL,
	"search_text" text NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "radiopharmaceutical" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid,
	"name" text NOT NULL,
	"nuclide" text NOT NULL,
	"half_life_s" double precision NOT NULL,
	"half_life_source" text NOT NULL,
	"use" "radiopharmaceutical_use" NOT NULL,
	"target" "radiopharmaceutical_target" NOT NULL,
	"emerging" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "radiopharmaceutical_site_name" UNIQUE NULLS NOT DISTINCT("site_id","name")
);
--> statement-breakpoint
CREATE TABLE "therapy_course" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"radiopharmaceutical_id" uuid NOT NULL,
	"intent" "course_intent" NOT NULL,
	"planned_cycles" integer NOT NULL,
	"planned_activity_mbq" double precision NOT NULL,
	"interval_days" integer NOT NULL,
	"status" "course_status" DEFAULT 'PLANNED' NOT NULL,
	"started_on" date,
	"ended_on" date,
	"stop_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "therapy_cycle" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"planned_date" date NOT NULL,
	"status" "cycle_status" DEFAULT 'PLANNED' NOT NULL,
	"calibrated_activity_mbq" double precision,
	"calibration_time" timestamp with time zone,
	"residual_activity_mbq" double precision,
	"residual_time" timestamp with time zone,
	"infusion_start" timestamp with time zone,
	"infusion_end" timestamp with time zone,
	"net_activity_mbq" double precision,
	"amino_acid_infusion" boolean,
	"last_long_acting_ssa_date" date,
	"lot" text,
	"notes" text,
	"administered_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "body_weight" ADD CONSTRAINT "body_weight_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "body_weight" ADD CONSTRAINT "body_weight_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diagnosis" ADD CONSTRAINT "diagnosis_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diagnosis" ADD CONSTRAINT "diagnosis_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imaging_study" ADD CONSTRAINT "imaging_study_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imaging_study" ADD CONSTRAINT "imaging_study_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imaging_study" ADD CONSTRAINT "imaging_study_tracer_id_radiopharmaceutical_id_fk" FOREIGN KEY ("tracer_id") REFERENCES "public"."radiopharmaceutical"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imaging_study" ADD CONSTRAINT "imaging_study_cycle_id_therapy_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."therapy_cycle"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_result" ADD CONSTRAINT "lab_result_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_result" ADD CONSTRAINT "lab_result_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion" ADD CONSTRAINT "lesion_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion" ADD CONSTRAINT "lesion_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_measurement" ADD CONSTRAINT "lesion_measurement_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_measurement" ADD CONSTRAINT "lesion_measurement_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_measurement" ADD CONSTRAINT "lesion_measurement_lesion_id_lesion_id_fk" FOREIGN KEY ("lesion_id") REFERENCES "public"."lesion"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_measurement" ADD CONSTRAINT "lesion_measurement_study_id_imaging_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."imaging_study"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient" ADD CONSTRAINT "patient_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "radiopharmaceutical" ADD CONSTRAINT "radiopharmaceutical_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_course" ADD CONSTRAINT "therapy_course_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_course" ADD CONSTRAINT "therapy_course_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_course" ADD CONSTRAINT "therapy_course_radiopharmaceutical_id_radiopharmaceutical_id_fk" FOREIGN KEY ("radiopharmaceutical_id") REFERENCES "public"."radiopharmaceutical"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_cycle" ADD CONSTRAINT "therapy_cycle_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_cycle" ADD CONSTRAINT "therapy_cycle_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_cycle" ADD CONSTRAINT "therapy_cycle_course_id_therapy_course_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."therapy_course"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_cycle" ADD CONSTRAINT "therapy_cycle_administered_by_app_user_id_fk" FOREIGN KEY ("administered_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_event_site_at" ON "audit_event" USING btree ("site_id","at");--> statement-breakpoint
CREATE INDEX "audit_event_patient" ON "audit_event" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "audit_event_actor" ON "audit_event" USING btree ("actor_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "membership_user_site_role" ON "membership" USING btree ("user_id","site_id","role");--> statement-breakpoint
CREATE INDEX "record_revision_entity" ON "record_revision" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "session_user" ON "session" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "body_weight_patient" ON "body_weight" USING btree ("patient_id","measured_at");--> statement-breakpoint
CREATE INDEX "diagnosis_patient" ON "diagnosis" USING btree ("patient_id","diagnosed_on");--> statement-breakpoint
CREATE INDEX "imaging_study_patient" ON "imaging_study" USING btree ("patient_id","performed_at");--> statement-breakpoint
CREATE UNIQUE INDEX "imaging_study_site_uid" ON "imaging_study" USING btree ("site_id","study_instance_uid");--> statement-breakpoint
CREATE INDEX "lab_result_patient" ON "lab_result" USING btree ("patient_id","analyte","sampled_at");--> statement-breakpoint
CREATE UNIQUE INDEX "lesion_patient_label" ON "lesion" USING btree ("patient_id","label") WHERE voided_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "lesion_measurement_lesion_study" ON "lesion_measurement" USING btree ("lesion_id","study_id") WHERE voided_at is null;--> statement-breakpoint
CREATE INDEX "lesion_measurement_study" ON "lesion_measurement" USING btree ("study_id");--> statement-breakpoint
CREATE UNIQUE INDEX "patient_site_mrn" ON "patient" USING btree ("site_id","mrn");--> statement-breakpoint
CREATE INDEX "patient_site_name" ON "patient" USING btree ("site_id","family_name","given_name","id");--> statement-breakpoint
CREATE INDEX "patient_site_status" ON "patient" USING btree ("site_id","status");--> statement-breakpoint
CREATE INDEX "therapy_course_patient" ON "therapy_course" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "therapy_cycle_course_number" ON "therapy_cycle" USING btree ("course_id","number");--> statement-breakpoint
CREATE INDEX "therapy_cycle_site_planned" ON "therapy_cycle" USING btree ("site_id","planned_date");--> statement-breakpoint
CREATE INDEX "therapy_cycle_patient" ON "therapy_cycle" USING btree ("patient_id","planned_date");