CREATE TYPE "public"."candidate_status" AS ENUM('PROPOSED', 'ACCEPTED', 'REJECTED', 'MERGED', 'SUPERSEDED');--> statement-breakpoint
CREATE TYPE "public"."dicom_study_status" AS ENUM('ACTIVE', 'QUARANTINED');--> statement-breakpoint
CREATE TYPE "public"."job_status" AS ENUM('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');--> statement-breakpoint
CREATE TYPE "public"."quant_method" AS ENUM('THRESHOLD', 'PERCENT_MAX', 'PERCIST');--> statement-breakpoint
CREATE TYPE "public"."reference_organ" AS ENUM('LIVER', 'SPLEEN');--> statement-breakpoint
CREATE TABLE "dicom_instance" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"series_id" uuid NOT NULL,
	"sop_instance_uid" text NOT NULL,
	"sop_class_uid" text NOT NULL,
	"instance_number" integer,
	"transfer_syntax_uid" text NOT NULL,
	"storage_key" text NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"number_of_frames" integer DEFAULT 1 NOT NULL,
	"pixel_data_offset" bigint,
	"frame_length" integer,
	"slice_location_mm" double precision,
	"metadata" jsonb NOT NULL,
	"pet" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dicom_series" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"patient_id" uuid,
	"series_instance_uid" text NOT NULL,
	"modality" text,
	"series_number" integer,
	"series_description" text,
	"frame_of_reference_uid" text,
	"instance_count" integer DEFAULT 0 NOT NULL,
	"attributes" jsonb NOT NULL,
	"qa" jsonb,
	"qa_blocking" boolean,
	"suv" jsonb,
	"body_centroid_mm" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dicom_study" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid,
	"imaging_study_id" uuid,
	"study_instance_uid" text NOT NULL,
	"status" "dicom_study_status" NOT NULL,
	"quarantine_reason" text,
	"dicom_patient_id" text,
	"dicom_birth_date" text,
	"study_date" text,
	"study_time" text,
	"accession_number" text,
	"study_description" text,
	"attributes" jsonb NOT NULL,
	"assigned_by" uuid,
	"assigned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lesion_candidate" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"series_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	"suv_max" double precision NOT NULL,
	"suv_peak" double precision,
	"suv_mean" double precision NOT NULL,
	"suv_sd" double precision,
	"volume_ml" double precision NOT NULL,
	"tlg" double precision NOT NULL,
	"voxel_count" integer NOT NULL,
	"centroid_mm" jsonb NOT NULL,
	"suv_max_mm" jsonb,
	"krenning_suggested" integer,
	"status" "candidate_status" DEFAULT 'PROPOSED' NOT NULL,
	"provenance" jsonb NOT NULL,
	"matched_lesion_id" uuid,
	"match" jsonb,
	"lesion_id" uuid,
	"measurement_id" uuid,
	"merged_into_id" uuid,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"review_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quantification_job" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"series_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"patient_id" uuid,
	"method" "quant_method" NOT NULL,
	"params" jsonb NOT NULL,
	"status" "job_status" DEFAULT 'QUEUED' NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"heartbeat_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"requested_by" uuid,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reference_value" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"patient_id" uuid,
	"study_id" uuid NOT NULL,
	"series_id" uuid NOT NULL,
	"job_id" uuid,
	"organ" "reference_organ" NOT NULL,
	"suv_mean" double precision NOT NULL,
	"suv_sd" double precision NOT NULL,
	"suv_max" double precision NOT NULL,
	"voxel_count" integer NOT NULL,
	"volume_ml" double precision NOT NULL,
	"centre_mm" jsonb NOT NULL,
	"diameter_mm" double precision NOT NULL,
	"provenance" jsonb NOT NULL,
	"current" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "series_qa_override" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"series_id" uuid NOT NULL,
	"patient_id" uuid,
	"overrides" jsonb NOT NULL,
	"reason" text NOT NULL,
	"set_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dicom_instance" ADD CONSTRAINT "dicom_instance_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dicom_instance" ADD CONSTRAINT "dicom_instance_study_id_dicom_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."dicom_study"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dicom_instance" ADD CONSTRAINT "dicom_instance_series_id_dicom_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."dicom_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dicom_series" ADD CONSTRAINT "dicom_series_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dicom_series" ADD CONSTRAINT "dicom_series_study_id_dicom_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."dicom_study"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dicom_series" ADD CONSTRAINT "dicom_series_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dicom_study" ADD CONSTRAINT "dicom_study_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dicom_study" ADD CONSTRAINT "dicom_study_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dicom_study" ADD CONSTRAINT "dicom_study_imaging_study_id_imaging_study_id_fk" FOREIGN KEY ("imaging_study_id") REFERENCES "public"."imaging_study"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dicom_study" ADD CONSTRAINT "dicom_study_assigned_by_app_user_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_candidate" ADD CONSTRAINT "lesion_candidate_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_candidate" ADD CONSTRAINT "lesion_candidate_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_candidate" ADD CONSTRAINT "lesion_candidate_study_id_dicom_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."dicom_study"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_candidate" ADD CONSTRAINT "lesion_candidate_series_id_dicom_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."dicom_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_candidate" ADD CONSTRAINT "lesion_candidate_job_id_quantification_job_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."quantification_job"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_candidate" ADD CONSTRAINT "lesion_candidate_matched_lesion_id_lesion_id_fk" FOREIGN KEY ("matched_lesion_id") REFERENCES "public"."lesion"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_candidate" ADD CONSTRAINT "lesion_candidate_lesion_id_lesion_id_fk" FOREIGN KEY ("lesion_id") REFERENCES "public"."lesion"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_candidate" ADD CONSTRAINT "lesion_candidate_measurement_id_lesion_measurement_id_fk" FOREIGN KEY ("measurement_id") REFERENCES "public"."lesion_measurement"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesion_candidate" ADD CONSTRAINT "lesion_candidate_reviewed_by_app_user_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quantification_job" ADD CONSTRAINT "quantification_job_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quantification_job" ADD CONSTRAINT "quantification_job_series_id_dicom_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."dicom_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quantification_job" ADD CONSTRAINT "quantification_job_study_id_dicom_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."dicom_study"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quantification_job" ADD CONSTRAINT "quantification_job_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quantification_job" ADD CONSTRAINT "quantification_job_requested_by_app_user_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_value" ADD CONSTRAINT "reference_value_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_value" ADD CONSTRAINT "reference_value_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_value" ADD CONSTRAINT "reference_value_study_id_dicom_study_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."dicom_study"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_value" ADD CONSTRAINT "reference_value_series_id_dicom_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."dicom_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reference_value" ADD CONSTRAINT "reference_value_job_id_quantification_job_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."quantification_job"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series_qa_override" ADD CONSTRAINT "series_qa_override_site_id_site_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."site"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series_qa_override" ADD CONSTRAINT "series_qa_override_series_id_dicom_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."dicom_series"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series_qa_override" ADD CONSTRAINT "series_qa_override_patient_id_patient_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patient"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series_qa_override" ADD CONSTRAINT "series_qa_override_set_by_app_user_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dicom_instance_site_uid" ON "dicom_instance" USING btree ("site_id","sop_instance_uid");--> statement-breakpoint
CREATE INDEX "dicom_instance_series" ON "dicom_instance" USING btree ("series_id","instance_number");--> statement-breakpoint
CREATE UNIQUE INDEX "dicom_series_site_uid" ON "dicom_series" USING btree ("site_id","series_instance_uid");--> statement-breakpoint
CREATE INDEX "dicom_series_study" ON "dicom_series" USING btree ("study_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dicom_study_site_uid" ON "dicom_study" USING btree ("site_id","study_instance_uid");--> statement-breakpoint
CREATE INDEX "dicom_study_site_status" ON "dicom_study" USING btree ("site_id","status");--> statement-breakpoint
CREATE INDEX "dicom_study_patient" ON "dicom_study" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "lesion_candidate_series" ON "lesion_candidate" USING btree ("series_id","status");--> statement-breakpoint
CREATE INDEX "lesion_candidate_job" ON "lesion_candidate" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "lesion_candidate_patient" ON "lesion_candidate" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "quantification_job_queue" ON "quantification_job" USING btree ("status","run_after");--> statement-breakpoint
CREATE INDEX "quantification_job_series" ON "quantification_job" USING btree ("series_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reference_value_series_organ_current" ON "reference_value" USING btree ("series_id","organ") WHERE current;--> statement-breakpoint
CREATE UNIQUE INDEX "series_qa_override_series" ON "series_qa_override" USING btree ("series_id");