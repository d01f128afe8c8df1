/**
 * Cross-module contract of the dosimetry module (read by the tumour-board one-pager and the
 * response module's "lesion dose vs response"). The dosimetry module owns the implementation;
 * callers import only these two functions and types. Both take the caller's request context
 * (site scope, audit of reads) and a patient's internal UUID the caller has already loaded in
 * scope.
 *
 * CONTRACT PLACEHOLDER: replaced by the dosimetry module's implementation.
 */
import type { RequestContext } from "../../graphql/context";

/** One organ's cumulative ledger row across all cycles of all courses (retreatment included). */
export interface OrganLedgerRow {
  /** e.g. "KIDNEYS", "BONE_MARROW", "LIVER", "SPLEEN" */
  organ: string;
  /** Sum of per-cycle absorbed doses, Gy. */
  cumulativeDoseGy: number;
  /** Cumulative BED, Gy (kidneys); null where BED is not the limiting quantity. */
  cumulativeBedGy: number | null;
  /** The configured limit and whether it applies to the dose or to the BED; null = no limit. */
  limitGy: number | null;
  limitQuantity: "DOSE" | "BED" | null;
  /** limit − cumulative (Gy), may be negative when exceeded; null without a limit. */
  remainingGy: number | null;
  /** cumulative / limit; null without a limit. */
  fractionOfLimit: number | null;
  /** Cycles contributing, and how many of them are signed by a physicist. */
  cyclesCounted: number;
  cyclesSigned: number;
}

export interface PatientDoseSummary {
  rows: OrganLedgerRow[];
  /** Largest activity for the next cycle that keeps every organ within its limit, GBq. */
  maxNextActivityGBq: number | null;
  /** Organ that sets maxNextActivityGBq. */
  limitingOrgan: string | null;
  /** Name of the limit policy in force (configurable, documented in the README). */
  limitPolicy: string;
}

/** Absorbed dose to one lesion (tumour VOI linked to a lesion) in one cycle. */
export interface LesionDoseRow {
  lesionId: string;
  cycleId: string;
  cycleNumber: number;
  absorbedDoseGy: number;
  signed: boolean;
}

/** Null when the patient has no dosimetry at all. */
export async function doseSummaryForPatient(_ctx: RequestContext, _patientId: string): Promise<PatientDoseSummary | null> {
  return null;
}

export async function lesionDosesForPatient(_ctx: RequestContext, _patientId: string): Promise<LesionDoseRow[]> {
  return [];
}
