import { sql } from "drizzle-orm";
import { type AnyPgColumn, boolean, date, doublePrecision, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, mutable, tstz } from "./common";
import { actorRef, appUser, siteRef } from "./identity";
import { patient, radiopharmaceutical, therapyCourse } from "./clinical";
import { protocolTemplate } from "./pathway";

/**
 * Tumour boards (issue 7): meetings, their agenda of cases, the frozen one-pager snapshots
 * ("what the board saw") and the structured, chair-signed decisions. Snapshots and signed
 * decisions are immutable: the service refuses changes and triggers refuse UPDATE/DELETE
 * (migration `boards_immutable`).
 */

export const boardMeetingStatus = pgEnum("board_meeting_status", ["SCHEDULED", "IN_PROGRESS", "CLOSED", "CANCELLED"]);
export const boardQuestion = pgEnum("board_question", ["ELIGIBILITY", "CONTINUE_OR_MODIFY", "RESPONSE", "RETREATMENT", "OTHER"]);
export const boardOutcome = pgEnum("board_outcome", ["START_PRRT", "CONTINUE", "MODIFY_ACTIVITY", "DELAY", "STOP", "RETREATMENT", "OTHER"]);
export const boardDecisionStatus = pgEnum("board_decision_status", ["DRAFT", "SIGNED"]);

export const boardMeeting = pgTable(
  "board_meeting",
  {
    id: id(),
    siteId: siteRef(),
    title: text("title").notNull(),
    scheduledAt: tstz("scheduled_at").notNull(),
    location: text("location"),
    /** A user with BOARD_MEMBER or PHYSICIAN membership at the site; the only one who signs. */
    chairUserId: uuid("chair_user_id")
      .notNull()
      .references(() => appUser.id),
    /** Users of the site expected at (or present in) the meeting. */
    attendeeUserIds: uuid("attendee_user_ids").array().notNull().default(sql`'{}'::uuid[]`),
    status: boardMeetingStatus("status").notNull().default("SCHEDULED"),
    startedAt: tstz("started_at"),
    closedAt: tstz("closed_at"),
    cancelReason: text("cancel_reason"),
    createdBy: actorRef("created_by"),
    ...mutable(),
  },
  (t) => [index("board_meeting_site_at").on(t.siteId, t.scheduledAt)],
);

/** One agenda item: a patient and the question put to the board. Removed items are kept (removed_at). */
export const boardCase = pgTable(
  "board_case",
  {
    id: id(),
    siteId: siteRef(),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => boardMeeting.id),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patient.id),
    question: boardQuestion("question").notNull(),
    questionText: text("question_text"),
    /** 1-based order on the agenda. */
    position: integer("position").notNull(),
    removedAt: tstz("removed_at"),
    removedReason: text("removed_reason"),
    createdBy: actorRef("created_by"),
    ...mutable(),
  },
  (t) => [index("board_case_meeting").on(t.meetingId, t.position), index("board_case_patient").on(t.patientId)],
);

/** The one-pager as the board saw it: immutable (service + trigger), one per case. */
export const boardCaseSnapshot = pgTable(
  "board_case_snapshot",
  {
    id: id(),
    siteId: siteRef(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => boardCase.id),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => boardMeeting.id),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patient.id),
    /** The one-pager JSON (OnePager, schemaVersion 1). */
    content: jsonb("content").notNull().$type<Record<string, unknown>>(),
    /** SHA-256 (hex) of the canonical JSON of `content`. */
    contentHash: text("content_hash").notNull(),
    frozenAt: tstz("frozen_at").notNull().defaultNow(),
    frozenBy: uuid("frozen_by")
      .notNull()
      .references(() => appUser.id),
  },
  (t) => [uniqueIndex("board_case_snapshot_case").on(t.caseId)],
);

/**
 * The board's decision on a case, as structured data. DRAFT rows may be edited (versioned);
 * SIGNED rows are immutable and can only be amended by a new row with `amends_id` → previous.
 */
export const boardDecision = pgTable(
  "board_decision",
  {
    id: id(),
    siteId: siteRef(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => boardCase.id),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => boardMeeting.id),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patient.id),
    /** The snapshot the decision was made against. */
    snapshotId: uuid("snapshot_id")
      .notNull()
      .references(() => boardCaseSnapshot.id),
    outcome: boardOutcome("outcome").notNull(),
    /** START_PRRT / RETREATMENT regimen. */
    protocolTemplateId: uuid("protocol_template_id").references(() => protocolTemplate.id),
    radiopharmaceuticalId: uuid("radiopharmaceutical_id").references(() => radiopharmaceutical.id),
    plannedCycles: integer("planned_cycles"),
    activityPerCycleGBq: doublePrecision("activity_per_cycle_gbq"),
    /** MODIFY_ACTIVITY: the new activity per cycle (GBq). */
    newActivityGBq: doublePrecision("new_activity_gbq"),
    /** DELAY: until a date, or for a number of weeks. */
    delayUntil: date("delay_until", { mode: "string" }),
    delayWeeks: integer("delay_weeks"),
    rationale: text("rationale").notNull(),
    votesFor: integer("votes_for"),
    votesAgainst: integer("votes_against"),
    votesAbstain: integer("votes_abstain"),
    consensus: boolean("consensus").notNull().default(false),
    status: boardDecisionStatus("status").notNull().default("DRAFT"),
    amendsId: uuid("amends_id").references((): AnyPgColumn => boardDecision.id),
    recordedBy: uuid("recorded_by")
      .notNull()
      .references(() => appUser.id),
    signedAt: tstz("signed_at"),
    signedBy: uuid("signed_by").references(() => appUser.id),
    /** SHA-256 (hex) of the signed content (decision fields, snapshot hash, signer, time). */
    contentHash: text("content_hash"),
    ...mutable(),
  },
  (t) => [
    index("board_decision_case").on(t.caseId),
    index("board_decision_patient").on(t.patientId),
    /** A decision is amended at most once: the chain is linear. */
    uniqueIndex("board_decision_amends").on(t.amendsId),
  ],
);

/** Append-only link of a signed decision to the course started from it (the decision itself stays untouched). */
export const boardDecisionCourse = pgTable(
  "board_decision_course",
  {
    id: id(),
    siteId: siteRef(),
    decisionId: uuid("decision_id")
      .notNull()
      .references(() => boardDecision.id),
    courseId: uuid("course_id")
      .notNull()
      .references(() => therapyCourse.id),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => appUser.id),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("board_decision_course_decision").on(t.decisionId)],
);
