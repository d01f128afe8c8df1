import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { imagingStudy, lesion, lesionMeasurement, patient } from "./clinical";
import { id, mutable, tstz } from "./common";
import { actorRef, siteRef } from "./identity";

/**
 * DICOM store (imaging service): study / series / instance index over content-addressed files,
 * the quarantine of studies that could not be matched to a patient, QA overrides, durable
 * quantification jobs, lesion candidates and reference-organ values.
 *
 * Patient identity: `patient_id` is null while a study is QUARANTINED; the DICOM identifiers
 * as sent (PatientID, birth date) are kept on the study only to explain the quarantine.
 */


/** DICOM JSON (PS3.18 F.2) object: tag → { vr, Value | InlineBinary | BulkDataURI }. */
export type DicomJson = Record<string, { vr: string; Value?: unknown[]; InlineBinary?: string; BulkDataURI?: string }>;

export const dicomStudyStatus = pgEnum("dicom_study_status", ["ACTIVE", "QUARANTINED"]);

export const dicomStudy = pgTable(
  "dicom_study",
  {
    id: id(),
    siteId: siteRef(),
    /** Null while quarantined. */
    patientId: uuid("patient_id").references(() => patient.id),
    /** The clinical imaging_study record this DICOM study is filed under (created or linked on match). */
    imagingStudyId: uuid("imaging_study_id").references(() => imagingStudy.id),
    studyInstanceUid: text("study_instance_uid").notNull(),
    status: dicomStudyStatus("status").notNull(),
    /** Machine code of why it is quarantined (NO_PATIENT_ID, NO_MATCH, BIRTH_DATE_MISMATCH, ...). */
    quarantineReason: text("quarantine_reason"),
    /** PatientID (0010,0020) and PatientBirthDate (0010,0030) as sent. */
    dicomPatientId: text("dicom_patient_id"),
    dicomBirthDate: text("dicom_birth_date"),
    studyDate: text("study_date"),
    studyTime: text("study_time"),
    accessionNumber: text("accession_number"),
    studyDescription: text("study_description"),
    /** Study-level DICOM JSON attributes (patient + study modules) for QIDO-RS. */
    attributes: jsonb("attributes").$type<DicomJson>().notNull(),
    assignedBy: actorRef("assigned_by"),
    assignedAt: tstz("assigned_at"),
    ...mutable(),
  },
  (t) => [
    uniqueIndex("dicom_study_site_uid").on(t.siteId, t.studyInstanceUid),
    index("dicom_study_site_status").on(t.siteId, t.status),
    index("dicom_study_patient").on(t.patientId),
  ],
);

export const dicomSeries = pgTable(
  "dicom_series",
  {
    id: id(),
    siteId: siteRef(),
    studyId: uuid("study_id")
      .notNull()
      .references(() => dicomStudy.id),
    patientId: uuid("patient_id").references(() => patient.id),
    seriesInstanceUid: text("series_instance_uid").notNull(),
    modality: text("modality"),
    seriesNumber: integer("series_number"),
    seriesDescription: text("series_description"),
    frameOfReferenceUid: text("frame_of_reference_uid"),
    instanceCount: integer("instance_count").notNull().default(0),
    /** Series-level DICOM JSON attributes for QIDO-RS. */
    attributes: jsonb("attributes").$type<DicomJson>().notNull(),
    /** QA gate result (findings, blocking, overrides applied, timing) — recomputed on ingest and on override change. */
    qa: jsonb("qa").$type<Record<string, unknown>>(),
    qaBlocking: boolean("qa_blocking"),
    /** SUV factor derivation (method, factor, inputs, reasons, overrides in force). */
    suv: jsonb("suv").$type<Record<string, unknown>>(),
    /** Body-outline centroid (mm, patient coordinates) for cross-study lesion matching. */
    bodyCentroidMm: jsonb("body_centroid_mm").$type<[number, number, number]>(),
    ...mutable(),
  },
  (t) => [
    uniqueIndex("dicom_series_site_uid").on(t.siteId, t.seriesInstanceUid),
    index("dicom_series_study").on(t.studyId),
  ],
);

export const dicomInstance = pgTable(
  "dicom_instance",
  {
    id: id(),
    siteId: siteRef(),
    studyId: uuid("study_id")
      .notNull()
      .references(() => dicomStudy.id),
    seriesId: uuid("series_id")
      .notNull()
      .references(() => dicomSeries.id),
    sopInstanceUid: text("sop_instance_uid").notNull(),
    sopClassUid: text("sop_class_uid").notNull(),
    instanceNumber: integer("instance_number"),
    transferSyntaxUid: text("transfer_syntax_uid").notNull(),
    /** Content address in the storage backend (sha256 hex) and byte size. */
    storageKey: text("storage_key").notNull(),
    sha256: text("sha256").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    numberOfFrames: integer("number_of_frames").notNull().default(1),
    /** Native pixel data: byte offset of frame 1 in the file and bytes per frame (frames read by range). */
    pixelDataOffset: bigint("pixel_data_offset", { mode: "number" }),
    frameLength: integer("frame_length"),
    /** Slice position along the normal (mm) for ordering. */
    sliceLocationMm: doublePrecision("slice_location_mm"),
    /** Instance DICOM JSON without Pixel Data (WADO-RS metadata). */
    metadata: jsonb("metadata").$type<DicomJson>().notNull(),
    /** SUV-relevant header values (PetInstanceMetadata) for QA re-runs without reading files. */
    pet: jsonb("pet").$type<Record<string, unknown>>(),
    ...mutable(),
  },
  (t) => [
    uniqueIndex("dicom_instance_site_uid").on(t.siteId, t.sopInstanceUid),
    index("dicom_instance_series").on(t.seriesId, t.instanceNumber),
  ],
);

/** QA overrides of one series (versioned through record_revision; never rewrites DICOM). */
export const seriesQaOverride = pgTable(
  "series_qa_override",
  {
    id: id(),
    siteId: siteRef(),
    seriesId: uuid("series_id")
      .notNull()
      .references(() => dicomSeries.id),
    patientId: uuid("patient_id").references(() => patient.id),
    /** PetQaOverrides of @lutetia/dicom (weight kg, dose Bq, injection DT, units, calibration...). */
    overrides: jsonb("overrides").$type<Record<string, unknown>>().notNull(),
    reason: text("reason").notNull(),
    setBy: actorRef("set_by"),
    ...mutable(),
  },
  (t) => [uniqueIndex("series_qa_override_series").on(t.seriesId)],
);

export const jobStatus = pgEnum("job_status", ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"]);
export const quantMethod = pgEnum("quant_method", ["THRESHOLD", "PERCENT_MAX", "PERCIST"]);

/** Durable background job (claimed atomically by the in-process worker; re-queued when stale). */
export const quantificationJob = pgTable(
  "quantification_job",
  {
    id: id(),
    siteId: siteRef(),
    seriesId: uuid("series_id")
      .notNull()
      .references(() => dicomSeries.id),
    studyId: uuid("study_id")
      .notNull()
      .references(() => dicomStudy.id),
    patientId: uuid("patient_id").references(() => patient.id),
    method: quantMethod("method").notNull(),
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    status: jobStatus("status").notNull().default("QUEUED"),
    progress: doublePrecision("progress").notNull().default(0),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    heartbeatAt: tstz("heartbeat_at"),
    startedAt: tstz("started_at"),
    finishedAt: tstz("finished_at"),
    runAfter: tstz("run_after").notNull().defaultNow(),
    requestedBy: actorRef("requested_by"),
    /** Summary of the result (candidate count, TMTV, reference values, SUV factor used). */
    result: jsonb("result").$type<Record<string, unknown>>(),
    ...mutable(),
  },
  (t) => [
    index("quantification_job_queue").on(t.status, t.runAfter),
    index("quantification_job_series").on(t.seriesId),
  ],
);

export const candidateStatus = pgEnum("candidate_status", [
  "PROPOSED",
  "ACCEPTED",
  "REJECTED",
  "MERGED",
  "SUPERSEDED",
]);

/** A lesion found by a quantification job, awaiting a physician's decision. */
export const lesionCandidate = pgTable(
  "lesion_candidate",
  {
    id: id(),
    siteId: siteRef(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patient.id),
    studyId: uuid("study_id")
      .notNull()
      .references(() => dicomStudy.id),
    seriesId: uuid("series_id")
      .notNull()
      .references(() => dicomSeries.id),
    jobId: uuid("job_id")
      .notNull()
      .references(() => quantificationJob.id),
    /** 1-based rank by SUVmax within the job. */
    rank: integer("rank").notNull(),
    suvMax: doublePrecision("suv_max").notNull(),
    suvPeak: doublePrecision("suv_peak"),
    suvMean: doublePrecision("suv_mean").notNull(),
    suvSd: doublePrecision("suv_sd"),
    volumeMl: doublePrecision("volume_ml").notNull(),
    tlg: doublePrecision("tlg").notNull(),
    voxelCount: integer("voxel_count").notNull(),
    centroidMm: jsonb("centroid_mm").$type<[number, number, number]>().notNull(),
    suvMaxMm: jsonb("suv_max_mm").$type<[number, number, number]>(),
    /** Suggested (not validated) Krenning score from liver/spleen reference values. */
    krenningSuggested: integer("krenning_suggested"),
    status: candidateStatus("status").notNull().default("PROPOSED"),
    /** Algorithm + version, parameters, threshold, SUV factor and inputs, overrides in force. */
    provenance: jsonb("provenance").$type<Record<string, unknown>>().notNull(),
    /** Proposed match to an existing lesion of the patient (physician confirms on accept). */
    matchedLesionId: uuid("matched_lesion_id").references(() => lesion.id),
    match: jsonb("match").$type<Record<string, unknown>>(),
    lesionId: uuid("lesion_id").references(() => lesion.id),
    measurementId: uuid("measurement_id").references(() => lesionMeasurement.id),
    mergedIntoId: uuid("merged_into_id"),
    reviewedBy: actorRef("reviewed_by"),
    reviewedAt: tstz("reviewed_at"),
    reviewNote: text("review_note"),
    ...mutable(),
  },
  (t) => [
    index("lesion_candidate_series").on(t.seriesId, t.status),
    index("lesion_candidate_job").on(t.jobId),
    index("lesion_candidate_patient").on(t.patientId),
  ],
);

export const referenceOrgan = pgEnum("reference_organ", ["LIVER", "SPLEEN"]);

/** Reference-organ VOI statistics of a series (PERCIST 3 cm liver sphere; spleen VOI). */
export const referenceValue = pgTable(
  "reference_value",
  {
    id: id(),
    siteId: siteRef(),
    patientId: uuid("patient_id").references(() => patient.id),
    studyId: uuid("study_id")
      .notNull()
      .references(() => dicomStudy.id),
    seriesId: uuid("series_id")
      .notNull()
      .references(() => dicomSeries.id),
    jobId: uuid("job_id").references(() => quantificationJob.id),
    organ: referenceOrgan("organ").notNull(),
    suvMean: doublePrecision("suv_mean").notNull(),
    suvSd: doublePrecision("suv_sd").notNull(),
    suvMax: doublePrecision("suv_max").notNull(),
    voxelCount: integer("voxel_count").notNull(),
    volumeMl: doublePrecision("volume_ml").notNull(),
    centreMm: jsonb("centre_mm").$type<[number, number, number]>().notNull(),
    diameterMm: doublePrecision("diameter_mm").notNull(),
    /** How the VOI was placed (USER / AUTO) and the SUV factor used. */
    provenance: jsonb("provenance").$type<Record<string, unknown>>().notNull(),
    current: boolean("current").notNull().default(true),
    ...mutable(),
  },
  (t) => [
    uniqueIndex("reference_value_series_organ_current")
      .on(t.seriesId, t.organ)
      .where(sql`current`),
  ],
);
