/**
 * Cross-module contract of the response-assessment module (read by the tumour-board one-pager).
 * The response module owns the implementation; callers import only this function and types.
 *
 * CONTRACT PLACEHOLDER: replaced by the response module's implementation.
 */
import type { RequestContext } from "../../graphql/context";

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

/** The latest assessment (signed preferred over draft); null when none exists. */
export async function responseSummaryForPatient(_ctx: RequestContext, _patientId: string): Promise<PatientResponseSummary | null> {
  return null;
}
