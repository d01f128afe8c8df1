/**
 * Cross-module contract of the dosimetry module (read by the tumour-board one-pager and the
 * response module's "lesion dose vs response"). The dosimetry module owns the implementation;
 * callers import only these two functions and types. Both take the caller's request context
 * (site scope, audit of reads) and a patient's internal UUID the caller has already loaded in
 * scope.
 *
 * Implementation: the ledger of record counts only SIGNED cycles (latest signed revision per
 * cycle); `cyclesCounted` is every cycle with dosimetry (signed or draft), `cyclesSigned` those
 * in the cumulative figures. Limits: the site's configured policy (README "Dosimetry workspace").
 */
import type { RequestContext } from "../../graphql/context";
import { DosimetryService } from "./dosimetry.service";
import { ORGAN_OF_KEY, resultsOf } from "./dosimetry.ledger";

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
export async function doseSummaryForPatient(ctx: RequestContext, patientId: string): Promise<PatientDoseSummary | null> {
  ctx.authorize("patient:read");
  const l = await DosimetryService.ledgerForPatientId(ctx, patientId);
  if (l.cycles.length === 0) return null;
  const rows: OrganLedgerRow[] = l.ledger.organs
    .filter((o) => ORGAN_OF_KEY[o.organ] !== undefined)
    .map((o) => {
      const organ = ORGAN_OF_KEY[o.organ]!;
      // The limit shown is the one closest to being reached (absorbed dose or BED).
      const useBed = o.bed !== null && (o.absorbed === null || o.bed.fractionUsed >= o.absorbed.fractionUsed);
      const st = useBed ? o.bed : o.absorbed;
      return {
        organ,
        cumulativeDoseGy: o.cumulativeAbsorbedGy,
        cumulativeBedGy: o.cumulativeBedGy,
        limitGy: st?.limitGy ?? null,
        limitQuantity: st ? (useBed ? ("BED" as const) : ("DOSE" as const)) : null,
        remainingGy: st?.remainingGy ?? null,
        fractionOfLimit: st?.fractionUsed ?? null,
        cyclesCounted: l.cycles.filter((c) => c.organs.some((x) => x.organ === organ)).length,
        cyclesSigned: o.cycles,
      };
    });
  const binding = l.next?.binding;
  return {
    rows,
    maxNextActivityGBq: l.next && Number.isFinite(l.next.maxActivityGBq) ? l.next.maxActivityGBq : null,
    limitingOrgan: binding && binding.organ ? (ORGAN_OF_KEY[binding.organ] ?? binding.organ) : null,
    limitPolicy: l.policy.name,
  };
}

export async function lesionDosesForPatient(ctx: RequestContext, patientId: string): Promise<LesionDoseRow[]> {
  ctx.authorize("patient:read");
  const l = await DosimetryService.ledgerForPatientId(ctx, patientId);
  const out: LesionDoseRow[] = [];
  for (const c of l.cycles) {
    for (const v of resultsOf(c.record).vois) {
      if (v.kind === "TUMOUR" && v.lesionId && v.doseGy !== null) {
        out.push({ lesionId: v.lesionId, cycleId: c.cycleId, cycleNumber: c.cycleNumber, absorbedDoseGy: v.doseGy, signed: c.signed });
      }
    }
  }
  return out;
}
