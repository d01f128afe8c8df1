import { sql } from "drizzle-orm";
import { doublePrecision, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { id, mutable, tstz } from "./common";
import { actorRef, siteRef } from "./identity";
import { patient, therapyCourse, therapyCycle } from "./clinical";

/** DRAFT: editable by a physicist; SIGNED: immutable (service + trigger), counts in the ledger. */
export const dosimetryStatus = pgEnum("dosimetry_status", ["DRAFT", "SIGNED"]);
export const phantomSex = pgEnum("phantom_sex", ["FEMALE", "MALE"]);

/** One imaging time point of a dosimetry record (stored inside the record's JSON document). */
export interface DosimetryTimepointDoc {
  /** Stable key within the record ("tp1" …), referenced by the VOI activities. */
  key: string;
  /** Acquisition date-time (ISO instant). */
  acquiredAt: string;
  /** Internal UUID of the imaging_study this point was picked from (null when entered by hand). */
  imagingStudyId: string | null;
  label: string | null;
}

/** One VOI: organ or tumour, activity per time point (MBq; blood: MBq/mL), mass, model and source. */
export interface DosimetryVoiDoc {
  key: string;
  kind: "KIDNEY_LEFT" | "KIDNEY_RIGHT" | "LIVER" | "SPLEEN" | "BONE_MARROW" | "TUMOUR";
  label: string;
  /** Internal UUID of the lesion (tumour VOIs). */
  lesionId: string | null;
  /** Patient organ / tumour mass (g); for BONE_MARROW the red-marrow mass (g). */
  massG: number | null;
  /** Volume (mL) as measured (informational; mass is what the dose uses). */
  volumeMl: number | null;
  model: "MONO_EXP" | "BI_EXP" | "TRAPEZOID_TAIL" | "SINGLE_TIME_POINT";
  /** Time point used by the single-time-point model (key); default the last one. */
  stpTimepointKey: string | null;
  /** Provenance of the activities: "entered", "vendor workstation", "SPECT quantification job …". */
  source: string;
  /** Activity per time-point key (MBq; BONE_MARROW: blood concentration MBq/mL); null = not measured. */
  activities: Record<string, number | null>;
}

/**
 * Per-cycle dosimetry record. Amending a SIGNED record creates a new row (revision + 1,
 * `previous_id` → the signed one); the ledger uses the latest SIGNED revision per cycle.
 * Time points and VOIs are one JSON document (edited and signed as a whole); `results` is the
 * computation snapshot frozen at signing (the numbers of record).
 */
export const dosimetryRecord = pgTable(
  "dosimetry_record",
  {
    id: id(),
    siteId: siteRef(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patient.id),
    courseId: uuid("course_id")
      .notNull()
      .references(() => therapyCourse.id),
    cycleId: uuid("cycle_id")
      .notNull()
      .references(() => therapyCycle.id),
    revision: integer("revision").notNull().default(1),
    previousId: uuid("previous_id").references((): AnyPgColumn => dosimetryRecord.id),
    amendReason: text("amend_reason"),
    status: dosimetryStatus("status").notNull().default("DRAFT"),
    phantomSex: phantomSex("phantom_sex"),
    /** Net administered activity (MBq) and administration instant copied from the cycle at creation. */
    administeredActivityMBq: doublePrecision("administered_activity_mbq").notNull(),
    administeredAt: tstz("administered_at").notNull(),
    /** SPECT calibration factor (cps/MBq) of the site, when activities came from SPECT counts. */
    calibrationFactorCpsPerMBq: doublePrecision("calibration_factor_cps_per_mbq"),
    /** Relative 1-SD uncertainties used for propagation (policy, README "Dosimetry workspace"). */
    activityRelSd: doublePrecision("activity_rel_sd").notNull().default(0.1),
    calibrationRelSd: doublePrecision("calibration_rel_sd").notNull().default(0.05),
    massRelSd: doublePrecision("mass_rel_sd").notNull().default(0.1),
    timepoints: jsonb("timepoints").notNull().$type<DosimetryTimepointDoc[]>().default(sql`'[]'::jsonb`),
    vois: jsonb("vois").notNull().$type<DosimetryVoiDoc[]>().default(sql`'[]'::jsonb`),
    notes: text("notes"),
    results: jsonb("results").$type<Record<string, unknown>>(),
    signedAt: tstz("signed_at"),
    signedBy: actorRef("signed_by"),
    createdBy: actorRef("created_by"),
    ...mutable(),
  },
  (t) => [
    uniqueIndex("dosimetry_record_cycle_revision").on(t.cycleId, t.revision),
    uniqueIndex("dosimetry_record_one_draft").on(t.cycleId).where(sql`status = 'DRAFT'`),
    index("dosimetry_record_patient").on(t.patientId),
    index("dosimetry_record_site_status").on(t.siteId, t.status),
  ],
);
