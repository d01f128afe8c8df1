import {
  bigserial,
  boolean,
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
import { appUser, site } from "./identity";
import { imagingStudy, labResult, patient, therapyCourse, therapyCycle } from "./clinical";

/**
 * Care pathway (issue 6): protocol templates, planned care events, pre-cycle decisions and
 * calendar feeds. Rules live in @lutetia/protocols; these tables store their inputs and outputs.
 */

/**
 * A protocol template version (immutable: editing inserts version + 1). site_id null = shipped
 * reference template seeded from @lutetia/protocols BUILTIN_TEMPLATES by ensureProtocolTemplates.
 * `template_key` is the template's `id` in @lutetia/protocols (e.g. "lu177-dotatate-standard",
 * "<site code>/lu177-dotatate-standard" for a site copy); `definition` is the whole template.
 */
export const protocolTemplate = pgTable(
  "protocol_template",
  {
    id: id(),
    siteId: uuid("site_id").references(() => site.id),
    templateKey: text("template_key").notNull(),
    templateVersion: integer("template_version").notNull(),
    name: text("name").notNull(),
    /** The ProtocolTemplate JSON (validated with validateTemplate before insert). */
    definition: jsonb("definition").notNull().$type<Record<string, unknown>>(),
    /** "id@version" of the template this one was copied or edited from. */
    derivedFrom: text("derived_from"),
    createdBy: uuid("created_by").references(() => appUser.id),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [
    unique("protocol_template_site_key_version")
      .on(t.siteId, t.templateKey, t.templateVersion)
      .nullsNotDistinct(),
  ],
);

export const careEventKind = pgEnum("care_event_kind", [
  "CYCLE",
  "LABS",
  "SSA_WASHOUT",
  "AMINO_ACIDS",
  "SSA_INJECTION",
  "POST_THERAPY_SCAN",
  "NADIR_LABS",
  "INTERIM_IMAGING",
  "RESTAGING",
  "FOLLOW_UP",
]);
export const careEventStatus = pgEnum("care_event_status", [
  "PLANNED",
  "BOOKED",
  "DONE",
  "MISSED",
  "CANCELLED",
]);
/** Modality of a booking (the FDG/SSTR same-day rule of checkScheduleConstraints needs it). */
export const bookingModality = pgEnum("booking_modality", [
  "SSTR_PET",
  "FDG_PET",
  "SPECT_CT",
  "PLANAR",
  "CT",
  "MRI",
  "LAB",
  "OTHER",
]);

/**
 * One planned step of a course (a cycle, labs, a scan, SSA timing, follow-up), generated from
 * the course's protocol template or added by a coordinator. Instants in UTC.
 */
export const careEvent = pgTable(
  "care_event",
  {
    id: id(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => site.id),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patient.id),
    courseId: uuid("course_id")
      .notNull()
      .references(() => therapyCourse.id),
    /** The cycle an event belongs to (administration-anchored events and the cycle itself). */
    cycleId: uuid("cycle_id").references(() => therapyCycle.id),
    /** Schedule key from @lutetia/protocols (`<rule>#c<n>`, `cycle#c<n>`, …) or `adhoc-…`. */
    key: text("key").notNull(),
    ruleKey: text("rule_key").notNull(),
    kind: careEventKind("kind").notNull(),
    label: text("label").notNull(),
    cycleNumber: integer("cycle_number"),
    dueAt: tstz("due_at").notNull(),
    /** Due time when first planned (delay = how far the cycle has slipped since). */
    originalDueAt: tstz("original_due_at").notNull(),
    windowStart: tstz("window_start"),
    windowEnd: tstz("window_end"),
    /** ISO 8601 offset from the anchor and the anchor, as generated. */
    offset: text("offset"),
    anchor: jsonb("anchor").$type<Record<string, unknown>>(),
    source: text("source").notNull(),
    status: careEventStatus("status").notNull().default("PLANNED"),
    bookedAt: tstz("booked_at"),
    resource: text("resource"),
    modality: bookingModality("modality"),
    /** When it happened (DONE): the fulfilling record's time or the time given. */
    performedAt: tstz("performed_at"),
    fulfilledLabResultId: uuid("fulfilled_lab_result_id").references(() => labResult.id),
    fulfilledStudyId: uuid("fulfilled_study_id").references(() => imagingStudy.id),
    fulfilledCycleId: uuid("fulfilled_cycle_id").references(() => therapyCycle.id),
    statusReason: text("status_reason"),
    notes: text("notes"),
    ...mutable(),
  },
  (t) => [
    uniqueIndex("care_event_course_key").on(t.courseId, t.key),
    index("care_event_site_due").on(t.siteId, t.dueAt),
    index("care_event_site_booked").on(t.siteId, t.bookedAt),
    index("care_event_patient").on(t.patientId, t.dueAt),
  ],
);

/**
 * Constraint checks of a course schedule (append-only): every plan, booking, completion and
 * reschedule stores the flags of checkScheduleConstraints; the latest row is the course's
 * current `scheduleFlags`.
 */
export const scheduleCheck = pgTable(
  "schedule_check",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => site.id),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patient.id),
    courseId: uuid("course_id")
      .notNull()
      .references(() => therapyCourse.id),
    trigger: text("trigger").notNull(),
    timeZone: text("time_zone").notNull(),
    flags: jsonb("flags").notNull().$type<Record<string, unknown>[]>(),
    checkedBy: uuid("checked_by").references(() => appUser.id),
    checkedAt: tstz("checked_at").notNull().defaultNow(),
  },
  (t) => [index("schedule_check_course").on(t.courseId, t.checkedAt)],
);

export const cycleDecisionAction = pgEnum("cycle_decision_action", [
  "GO",
  "DELAY",
  "REDUCE",
  "STOP",
]);

/**
 * The physician's pre-cycle go/no-go decision (immutable; a new decision supersedes the
 * previous one, linked by `supersedes_id`). `recommendation` is the recommendGoNoGo result and
 * the graded labs it was made against.
 */
export const cycleDecision = pgTable(
  "cycle_decision",
  {
    id: id(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => site.id),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patient.id),
    courseId: uuid("course_id")
      .notNull()
      .references(() => therapyCourse.id),
    cycleId: uuid("cycle_id")
      .notNull()
      .references(() => therapyCycle.id),
    action: cycleDecisionAction("action").notNull(),
    /** Activity to give (GO/REDUCE), MBq. */
    activityMBq: doublePrecision("activity_mbq"),
    reason: text("reason").notNull(),
    recommendation: jsonb("recommendation").notNull().$type<Record<string, unknown>>(),
    /** Action recommended by recommendGoNoGo when the decision was made (null for an override). */
    recommendedAction: cycleDecisionAction("recommended_action"),
    /** Recorded at administration with `goOverrideReason` instead of a prior GO/REDUCE. */
    override: boolean("override").notNull().default(false),
    supersedesId: uuid("supersedes_id"),
    decidedBy: uuid("decided_by")
      .notNull()
      .references(() => appUser.id),
    decidedAt: tstz("decided_at").notNull().defaultNow(),
  },
  (t) => [index("cycle_decision_cycle").on(t.cycleId, t.decidedAt)],
);

/** A per-user iCalendar feed: the URL carries a random token, the table only its SHA-256. */
export const calendarFeed = pgTable(
  "calendar_feed",
  {
    id: id(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => site.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => appUser.id),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    revokedAt: tstz("revoked_at"),
  },
  (t) => [index("calendar_feed_user").on(t.userId)],
);

export const calendarPatientLabel = pgEnum("calendar_patient_label", ["MRN", "INITIALS"]);

/** Per-site pathway settings (one row per site; absent = defaults). */
export const pathwaySetting = pgTable("pathway_setting", {
  siteId: uuid("site_id")
    .primaryKey()
    .references(() => site.id),
  /** How a patient appears in calendar feeds: never by name (README "Calendar feed privacy"). */
  calendarPatientLabel: calendarPatientLabel("calendar_patient_label").notNull().default("MRN"),
  ...mutable(),
});
