import { boolean, doublePrecision, index, integer, jsonb, pgEnum, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { id, mutable, tstz } from "./common";
import { imagingStudy, patient } from "./clinical";
import { actorRef, siteRef } from "./identity";

/**
 * Response assessment (issue 7, "Response assessment (physician)"): a baseline and a follow-up
 * study of one patient, the physician's RECIST target selection and non-target reading, the
 * confirmed or overridden conclusion and the signature. The criteria results are computed on the
 * fly from the lesion measurements while DRAFT and frozen into `computed` (results + lesion table
 * + every input) at signing. A SIGNED row is immutable (migration 0004_response_immutable refuses
 * UPDATE/DELETE); an amendment is a new row pointing at the one it amends (`amends_id`).
 */
export const responseAssessmentStatus = pgEnum("response_assessment_status", ["DRAFT", "SIGNED"]);

export const responseAssessment = pgTable(
  "response_assessment",
  {
    id: id(),
    siteId: siteRef(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patient.id),
    baselineStudyId: uuid("baseline_study_id")
      .notNull()
      .references(() => imagingStudy.id),
    followUpStudyId: uuid("follow_up_study_id")
      .notNull()
      .references(() => imagingStudy.id),
    status: responseAssessmentStatus("status").notNull().default("DRAFT"),
    /** RECIST target lesions (lesion UUIDs), validated ≤ 5 in total and ≤ 2 per organ. */
    targetLesionIds: jsonb("target_lesion_ids").$type<string[]>().notNull().default([]),
    /** Reader's RECIST non-target category (CR, NON_CR_NON_PD, PD, NE); null = not evaluated. */
    nonTargetResponse: text("non_target_response"),
    nonTargetPdReason: text("non_target_pd_reason"),
    /** Liver SUVmean/SD entered by the reader when the quantification has no liver VOI. */
    baselineLiverSuvMean: doublePrecision("baseline_liver_suv_mean"),
    baselineLiverSuvSd: doublePrecision("baseline_liver_suv_sd"),
    followUpLiverSuvMean: doublePrecision("follow_up_liver_suv_mean"),
    followUpLiverSuvSd: doublePrecision("follow_up_liver_suv_sd"),
    /** Why the studies were chosen (the suggestion's explanation, or "chosen by the physician"). */
    selectionNote: text("selection_note"),
    /** The physician's conclusion: the criterion relied on, its category, and whether it overrides the computed one. */
    conclusionCriterion: text("conclusion_criterion"),
    conclusionCategory: text("conclusion_category"),
    conclusionComputedCategory: text("conclusion_computed_category"),
    conclusionOverridden: boolean("conclusion_overridden").notNull().default(false),
    conclusionReason: text("conclusion_reason"),
    concludedBy: actorRef("concluded_by"),
    concludedAt: tstz("concluded_at"),
    /** Frozen at signing: results, lesion table and the inputs they were computed from. */
    computed: jsonb("computed").$type<Record<string, unknown>>(),
    signedBy: actorRef("signed_by"),
    signedAt: tstz("signed_at"),
    /** The signed assessment this one amends (a new linked version). */
    amendsId: uuid("amends_id"),
    revision: integer("revision").notNull().default(1),
    createdBy: actorRef("created_by").notNull(),
    ...mutable(),
  },
  (t) => [
    index("response_assessment_patient").on(t.patientId, t.createdAt),
    index("response_assessment_site_status").on(t.siteId, t.status),
  ],
);
