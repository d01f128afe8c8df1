/**
 * Cross-module contract of the response-assessment module (read by the tumour-board one-pager).
 * The response module owns the implementation; callers import only this function and types.
 */
import { and, desc, eq } from "drizzle-orm";
import { imagingStudy, responseAssessment } from "@lutetia/db";
import type { RequestContext } from "../../graphql/context";
import { toGlobalId } from "../../shared/ids";
import { ResponseService } from "./response.service";

export interface CriterionResultSummary {
  /** "RECIST_1_1" | "PERCIST_1_0" | "EORTC" | "SWOG" | "SSTR_PET" | "NETPET" */
  criterion: string;
  /** e.g. "CR" | "PR" | "SD" | "PD" | "CMR" | "PMR" | "SMD" | "PMD" | "NOT_EVALUABLE" */
  category: string;
  reasons: string[];
}

export interface LesionTimepointRow {
  lesionId: string;
  label: string;
  organ: string;
  isTarget: boolean;
  /** "MATCHED" | "NEW" | "DISAPPEARED" | "BASELINE_ONLY" */
  status: string;
  baseline: { longAxisMm: number | null; shortAxisMm: number | null; suvMax: number | null; suvPeak: number | null; mtvMl: number | null; krenningScore: number | null } | null;
  followUp: { longAxisMm: number | null; shortAxisMm: number | null; suvMax: number | null; suvPeak: number | null; mtvMl: number | null; krenningScore: number | null } | null;
}

export interface PatientResponseSummary {
  assessmentId: string;
  baselineDate: string;
  followUpDate: string;
  /** "DRAFT" | "SIGNED" */
  status: string;
  signedAt: string | null;
  signedByName: string | null;
  /** Physician's overall conclusion (confirmed or overridden category) with its reason. */
  conclusion: { criterion: string; category: string; overridden: boolean; reason: string | null } | null;
  results: CriterionResultSummary[];
  lesions: LesionTimepointRow[];
}

const pick = (v: LesionTimepointRow["baseline"]) =>
  v ? { longAxisMm: v.longAxisMm, shortAxisMm: v.shortAxisMm, suvMax: v.suvMax, suvPeak: v.suvPeak, mtvMl: v.mtvMl, krenningScore: v.krenningScore } : null;

/**
 * The latest assessment (signed preferred over draft); null when none exists. Signed: the
 * results frozen at signing; draft: computed now. Reads are audited. `assessmentId` and
 * `lesionId` are global IDs; not-evaluable criteria report category "NOT_EVALUABLE".
 */
export async function responseSummaryForPatient(ctx: RequestContext, patientId: string): Promise<PatientResponseSummary | null> {
  ctx.authorize("patient:read");
  const siteId = ctx.requireActor().siteId;
  const rows = await ctx.db
    .select()
    .from(responseAssessment)
    .where(and(eq(responseAssessment.patientId, patientId), eq(responseAssessment.siteId, siteId)))
    .orderBy(desc(responseAssessment.createdAt));
  const superseded = new Set(rows.map((r) => r.amendsId).filter(Boolean));
  const current = rows.filter((r) => !superseded.has(r.id));
  const row = current.find((r) => r.status === "SIGNED") ?? current[0] ?? rows[0];
  if (!row) return null;
  const vw = await ResponseService.view(ctx, row);
  const studies = await ctx.db.select({ id: imagingStudy.id, at: imagingStudy.performedAt }).from(imagingStudy).where(and(eq(imagingStudy.patientId, patientId), eq(imagingStudy.siteId, siteId)));
  const dateOf = (id: string) => studies.find((s) => s.id === id)?.at.toISOString().slice(0, 10) ?? "";
  return {
    assessmentId: toGlobalId("ResponseAssessment", row.id),
    baselineDate: dateOf(row.baselineStudyId),
    followUpDate: dateOf(row.followUpStudyId),
    status: row.status,
    signedAt: row.signedAt ? row.signedAt.toISOString() : null,
    signedByName: await ResponseService.userName(ctx, row.signedBy),
    conclusion:
      row.conclusionCriterion && row.conclusionCategory
        ? { criterion: row.conclusionCriterion, category: row.conclusionCategory, overridden: row.conclusionOverridden, reason: row.conclusionReason }
        : null,
    results: vw.results.map((r) => ({ criterion: r.criterion, category: r.evaluable ? r.category : "NOT_EVALUABLE", reasons: r.reasons.map((x) => x.message) })),
    lesions: vw.lesionTable.map((l) => ({
      lesionId: toGlobalId("Lesion", l.lesionId), label: l.label, organ: l.organ, isTarget: l.isTarget, status: l.status, baseline: pick(l.baseline), followUp: pick(l.followUp),
    })),
  };
}
