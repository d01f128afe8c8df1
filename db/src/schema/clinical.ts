import { sql } from "drizzle-orm";
import {
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { id, mutable, tstz } from "./common";
import { actorRef, site, siteRef } from "./identity";
import { protocolTemplate } from "./pathway";

/** Soft close: clinical rows are never deleted; a voided row keeps its data and a reason. */
const voidable = () => ({
  voidedAt: tstz("voided_at"),
  voidReason: text("void_reason"),
});

export const sex = pgEnum("sex", ["FEMALE", "MALE", "OTHER", "UNKNOWN"]);
export const patientStatus = pgEnum("patient_status", [
  "REFERRED",
  "IN_WORKUP",
  "ON_TREATMENT",
  "FOLLOW_UP",
  "CLOSED",
]);

export const patient = pgTable(
  "patient",
  {
    id: id(),
    siteId: siteRef(),
    mrn: text("mrn").notNull(),
    familyName: text("family_name").notNull(),
    givenName: text("given_name").notNull(),
    birthDate: date("birth_date", { mode: "string" }).notNull(),
    sex: sex("sex").notNull(),
    heightCm: doublePrecision("height_cm"),
    status: patientStatus("status").notNull().default("REFERRED"),
    /** Lower-cased "family given mrn" for search. */
    searchText: text("search_text").notNull(),
    closedAt: tstz("closed_at"),
    ...mutable(),
  },
  (t) => [
    uniqueIndex("patient_site_mrn").on(t.siteId, t.mrn),
    index("patient_site_name").on(t.siteId, t.familyName, t.givenName, t.id),
    index("patient_site_status").on(t.siteId, t.status),
  ],
);

const patientRef = () =>
  uuid("patient_id")
    .notNull()
    .references(() => patient.id);

export const bodyWeight = pgTable(
  "body_weight",
  {
    id: id(),
    siteId: siteRef(),
    patientId: patientRef(),
    weightKg: doublePrecision("weight_kg").notNull(),
    measuredAt: tstz("measured_at").notNull(),
    ...voidable(),
    ...mutable(),
  },
  (t) => [index("body_weight_patient").on(t.patientId, t.measuredAt)],
);

export const whoGrade = pgEnum("who_grade", ["G1", "G2", "G3", "NEC", "UNKNOWN"]);
export const differentiation = pgEnum("differentiation", ["WELL", "POORLY", "UNKNOWN"]);

export const diagnosis = pgTable(
  "diagnosis",
  {
    id: id(),
    siteId: siteRef(),
    patientId: patientRef(),
    primarySite: text("primary_site").notNull(),
    histology: text("histology").notNull(),
    whoGrade: whoGrade("who_grade").notNull(),
    ki67Percent: doublePrecision("ki67_percent"),
    differentiation: differentiation("differentiation").notNull(),
    functionalSyndrome: text("functional_syndrome"),
    diagnosedOn: date("diagnosed_on", { mode: "string" }).notNull(),
    ...voidable(),
    ...mutable(),
  },
  (t) => [index("diagnosis_patient").on(t.patientId, t.diagnosedOn)],
);

export const radiopharmaceuticalUse = pgEnum("radiopharmaceutical_use", ["PET", "SPECT", "THERAPY"]);
export const radiopharmaceuticalTarget = pgEnum("radiopharmaceutical_target", [
  "SSTR",
  "GLUCOSE",
  "AADC",
  "SEROTONIN",
  "OTHER",
]);

/** Tracer / therapy agent catalogue. site_id null = shipped catalogue entry visible to all. */
export const radiopharmaceutical = pgTable(
  "radiopharmaceutical",
  {
    id: id(),
    siteId: uuid("site_id").references(() => site.id),
    name: text("name").notNull(),
    nuclide: text("nuclide").notNull(),
    halfLifeS: doublePrecision("half_life_s").notNull(),
    halfLifeSource: text("half_life_source").notNull(),
    use: radiopharmaceuticalUse("use").notNull(),
    target: radiopharmaceuticalTarget("target").notNull(),
    emerging: boolean("emerging").notNull().default(false),
    active: boolean("active").notNull().default(true),
    ...mutable(),
  },
  (t) => [unique("radiopharmaceutical_site_name").on(t.siteId, t.name).nullsNotDistinct()],
);

export const courseIntent = pgEnum("course_intent", [
  "STANDARD",
  "DOSIMETRY_GUIDED",
  "RETREATMENT",
  "CLINICAL_TRIAL",
]);
export const courseStatus = pgEnum("course_status", [
  "PLANNED",
  "ACTIVE",
  "COMPLETED",
  "STOPPED",
]);

export const therapyCourse = pgTable(
  "therapy_course",
  {
    id: id(),
    siteId: siteRef(),
    patientId: patientRef(),
    radiopharmaceuticalId: uuid("radiopharmaceutical_id")
      .notNull()
      .references(() => radiopharmaceutical.id),
    intent: courseIntent("intent").notNull(),
    plannedCycles: integer("planned_cycles").notNull(),
    plannedActivityMBq: doublePrecision("planned_activity_mbq").notNull(),
    intervalDays: integer("interval_days").notNull(),
    status: courseStatus("status").notNull().default("PLANNED"),
    startedOn: date("started_on", { mode: "string" }),
    endedOn: date("ended_on", { mode: "string" }),
    stopReason: text("stop_reason"),
    /** Care pathway: the exact protocol template version the course was planned with, and its JSON. */
    protocolTemplateId: uuid("protocol_template_id").references(() => protocolTemplate.id),
    protocolSnapshot: jsonb("protocol_snapshot").$type<Record<string, unknown>>(),
    ...mutable(),
  },
  (t) => [index("therapy_course_patient").on(t.patientId, t.createdAt)],
);

export const cycleStatus = pgEnum("cycle_status", [
  "PLANNED",
  "READY",
  "ADMINISTERED",
  "DELAYED",
  "CANCELLED",
]);

export const therapyCycle = pgTable(
  "therapy_cycle",
  {
    id: id(),
    siteId: siteRef(),
    patientId: patientRef(),
    courseId: uuid("course_id")
      .notNull()
      .references(() => therapyCourse.id),
    number: integer("number").notNull(),
    plannedDate: date("planned_date", { mode: "string" }).notNull(),
    status: cycleStatus("status").notNull().default("PLANNED"),
    calibratedActivityMBq: doublePrecision("calibrated_activity_mbq"),
    calibrationTime: tstz("calibration_time"),
    residualActivityMBq: doublePrecision("residual_activity_mbq"),
    residualTime: tstz("residual_time"),
    infusionStart: tstz("infusion_start"),
    infusionEnd: tstz("infusion_end"),
    /** Net administered activity at infusion start, decay-corrected (packages/quantification). */
    netActivityMBq: doublePrecision("net_activity_mbq"),
    aminoAcidInfusion: boolean("amino_acid_infusion"),
    lastLongActingSsaDate: date("last_long_acting_ssa_date", { mode: "string" }),
    lot: text("lot"),
    notes: text("notes"),
    administeredBy: actorRef("administered_by"),
    ...mutable(),
  },
  (t) => [
    uniqueIndex("therapy_cycle_course_number").on(t.courseId, t.number),
    index("therapy_cycle_site_planned").on(t.siteId, t.plannedDate),
    index("therapy_cycle_patient").on(t.patientId, t.plannedDate),
  ],
);

export const labAnalyte = pgEnum("lab_analyte", [
  "CREATININE",
  "EGFR",
  "CREATININE_CLEARANCE",
  "HAEMOGLOBIN",
  "WBC",
  "NEUTROPHILS",
  "LYMPHOCYTES",
  "PLATELETS",
  "BILIRUBIN",
  "ALBUMIN",
  "ALT",
  "AST",
  "CHROMOGRANIN_A",
]);

export const labResult = pgTable(
  "lab_result",
  {
    id: id(),
    siteId: siteRef(),
    patientId: patientRef(),
    analyte: labAnalyte("analyte").notNull(),
    /** Value in the analyte's canonical unit. */
    value: doublePrecision("value").notNull(),
    unit: text("unit").notNull(),
    /** As reported, before conversion (kept for traceability). */
    reportedValue: doublePrecision("reported_value").notNull(),
    reportedUnit: text("reported_unit").notNull(),
    sampledAt: tstz("sampled_at").notNull(),
    ...voidable(),
    ...mutable(),
  },
  (t) => [index("lab_result_patient").on(t.patientId, t.analyte, t.sampledAt)],
);

export const modality = pgEnum("modality", ["PET", "SPECT", "CT", "MRI"]);
export const studyPurpose = pgEnum("study_purpose", [
  "BASELINE",
  "POST_THERAPY",
  "INTERIM",
  "RESTAGING",
  "FOLLOW_UP",
]);

export const imagingStudy = pgTable(
  "imaging_study",
  {
    id: id(),
    siteId: siteRef(),
    patientId: patientRef(),
    modality: modality("modality").notNull(),
    tracerId: uuid("tracer_id").references(() => radiopharmaceutical.id),
    performedAt: tstz("performed_at").notNull(),
    injectedActivityMBq: doublePrecision("injected_activity_mbq"),
    injectedAt: tstz("injected_at"),
    weightKg: doublePrecision("weight_kg"),
    purpose: studyPurpose("purpose").notNull(),
    cycleId: uuid("cycle_id").references(() => therapyCycle.id),
    studyInstanceUid: text("study_instance_uid"),
    ...voidable(),
    ...mutable(),
  },
  (t) => [
    index("imaging_study_patient").on(t.patientId, t.performedAt),
    uniqueIndex("imaging_study_site_uid").on(t.siteId, t.studyInstanceUid),
  ],
);

export const lesion = pgTable(
  "lesion",
  {
    id: id(),
    siteId: siteRef(),
    patientId: patientRef(),
    label: text("label").notNull(),
    organ: text("organ").notNull(),
    location: text("location"),
    firstSeenOn: date("first_seen_on", { mode: "string" }).notNull(),
    ...voidable(),
    ...mutable(),
  },
  (t) => [
    uniqueIndex("lesion_patient_label")
      .on(t.patientId, t.label)
      .where(sql`voided_at is null`),
  ],
);

export const measurementMethod = pgEnum("measurement_method", [
  "MANUAL",
  "THRESHOLD",
  "PERCENT_MAX",
  "PERCIST",
  "ROI",
  "IMPORTED",
]);

export const lesionMeasurement = pgTable(
  "lesion_measurement",
  {
    id: id(),
    siteId: siteRef(),
    patientId: patientRef(),
    lesionId: uuid("lesion_id")
      .notNull()
      .references(() => lesion.id),
    studyId: uuid("study_id")
      .notNull()
      .references(() => imagingStudy.id),
    suvMax: doublePrecision("suv_max"),
    suvPeak: doublePrecision("suv_peak"),
    suvMean: doublePrecision("suv_mean"),
    mtvMl: doublePrecision("mtv_ml"),
    tlg: doublePrecision("tlg"),
    longAxisMm: doublePrecision("long_axis_mm"),
    shortAxisMm: doublePrecision("short_axis_mm"),
    krenningScore: integer("krenning_score"),
    isTarget: boolean("is_target").notNull().default(false),
    method: measurementMethod("method").notNull(),
    /** Algorithm, version, parameters, SUV factor and inputs used. */
    provenance: jsonb("provenance").$type<Record<string, unknown>>(),
    ...voidable(),
    ...mutable(),
  },
  (t) => [
    uniqueIndex("lesion_measurement_lesion_study")
      .on(t.lesionId, t.studyId)
      .where(sql`voided_at is null`),
    index("lesion_measurement_study").on(t.studyId),
  ],
);
