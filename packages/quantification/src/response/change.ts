/**
 * Lesion- and patient-level change helpers used by the response-assessment workspace:
 * per-lesion relative change (lesion table Δ %), the best (most negative) change for the
 * waterfall plot, and a patient-level SSTR-PET change summary built on
 * {@link sstrLesionChange} (response-criteria.md §6.1).
 */
import { array, nonEmptyString, num, pct } from "./guards";
import {
  SSTR_CHANGE_DEFAULT_POLICY,
  sstrLesionChange,
  type SstrChange,
  type SstrChangePolicy,
  type SstrLesionMeasurement,
} from "./sstr";
import type { ResponseAssessment, ResponseReason } from "./types";

/**
 * Relative change `(followUp − baseline) / baseline` (a fraction: −0.3 = −30 %), the quantity
 * every criterion in response-criteria.md compares with its thresholds (RECIST §1.2 SoD
 * change, PERCIST §4.3 SULpeak change, EORTC §5 SUV change, SWOG §2 SOP change).
 * Returns null when either value is missing or the baseline is 0 (no relative change exists).
 *
 * @param baseline value at baseline (any unit, same as followUp), ≥ 0
 * @param followUp value at follow-up, ≥ 0
 * @throws RangeError naming `baseline` / `followUp` when negative or not finite.
 */
export function relativeChange(
  baseline: number | null | undefined,
  followUp: number | null | undefined,
): number | null {
  if (baseline === null || baseline === undefined || followUp === null || followUp === undefined)
    return null;
  for (const [name, v] of [
    ["baseline", baseline],
    ["followUp", followUp],
  ] as const) {
    if (!Number.isFinite(v) || v < 0)
      throw new RangeError(`${name} must be a finite number ≥ 0, got ${v}`);
  }
  if (baseline === 0) return null;
  return (followUp - baseline) / baseline;
}

/**
 * Best response for a waterfall plot: the most negative relative change over a patient's
 * follow-ups (the conventional waterfall bar, e.g. best % change in RECIST sum of diameters;
 * RECIST best overall response, response-criteria.md §1.2 edge case 8, is the categorical
 * analogue). Null entries (not evaluable) are ignored; null when none is evaluable.
 *
 * @param changes relative changes (fractions) in any order
 * @throws RangeError naming `changes[i]` for non-finite values.
 */
export function bestRelativeChange(changes: readonly (number | null)[]): number | null {
  array("changes", changes);
  let best: number | null = null;
  changes.forEach((c, i) => {
    if (c === null) return;
    if (!Number.isFinite(c))
      throw new RangeError(`changes[${i}] must be a finite number, got ${c}`);
    if (best === null || c < best) best = c;
  });
  return best;
}

/** Patient-level SSTR-PET change categories (a display convention, see {@link SstrPetPolicy}). */
export type SstrPetCategory = "DECREASE" | "STABLE" | "INCREASE" | "MIXED" | "NE";

/** One lesion of the patient-level SSTR-PET comparison. */
export interface SstrPetLesion {
  lesionId: string;
  /** Missing at baseline → new lesion (if present at follow-up). */
  baseline?: SstrLesionMeasurement | null;
  /** Missing at follow-up → not evaluated. SUVmax 0 = resolved. */
  followUp?: SstrLesionMeasurement | null;
}

/**
 * Named policy of the patient-level SSTR-PET summary. response-criteria.md gives NO validated
 * patient-level SSTR response rule; this is an explicit, documented convention:
 * - per lesion, the tumour-to-liver ratio (T/L) direction decides (it corrects the global
 *   uptake shifts that move SUVmax, §6.1; `lesionMeasure: "suvMax"` uses SUVmax instead);
 * - new SSTR-avid lesions → INCREASE (receptor-positive disease progressed);
 * - at least one lesion decreasing and none increasing → DECREASE; at least one increasing and
 *   none decreasing → INCREASE; both → MIXED; all stable → STABLE;
 * - any lesion not evaluable at follow-up → NE (missing data is never a guess, §0).
 */
export interface SstrPetPolicy extends SstrChangePolicy {
  lesionMeasure: "tumourToLiver" | "suvMax";
}

/** Default: T/L decides, ±30 % (see {@link SSTR_CHANGE_DEFAULT_POLICY}). */
export const SSTR_PET_DEFAULT_POLICY: Readonly<SstrPetPolicy> = {
  ...SSTR_CHANGE_DEFAULT_POLICY,
  lesionMeasure: "tumourToLiver",
};

/** Result of {@link assessSstrPet}. */
export interface SstrPetAssessment extends ResponseAssessment<SstrPetCategory> {
  lesions: (SstrChange & { lesionId: string })[];
  newLesionIds: string[];
  /** Mean relative change of the deciding measure over matched lesions (waterfall bar); null if none. */
  meanChange: number | null;
}

/**
 * Patient-level SSTR-PET change (Krenning / SUVmax / tumour-to-liver ratio) across matched
 * lesions, per {@link SstrPetPolicy}. Each matched lesion goes through
 * {@link sstrLesionChange}; the reasons carry every lesion's numbers.
 *
 * Source: response-criteria.md §6.1 (Krenning, modified Krenning, T/L ratio); the patient-level
 * aggregation is a named policy (no validated SSTR response criteria in the reference).
 * @throws TypeError / RangeError naming `lesions[i].lesionId` or the measurement field.
 */
export function assessSstrPet(
  lesions: readonly SstrPetLesion[],
  policy: SstrPetPolicy = SSTR_PET_DEFAULT_POLICY,
): SstrPetAssessment {
  array("lesions", lesions);
  const ruleSet = "SSTR-PET change (policy)";
  const rule =
    "response-criteria.md §6.1; patient-level aggregation = SstrPetPolicy (not validated)";
  const reasons: ResponseReason[] = [];
  const changes: (SstrChange & { lesionId: string })[] = [];
  const newLesionIds: string[] = [];
  const missing: string[] = [];
  lesions.forEach((l, i) => {
    nonEmptyString(`lesions[${i}].lesionId`, l.lesionId);
    if (!l.baseline && l.followUp) {
      if (l.followUp.suvMax > 0) newLesionIds.push(l.lesionId);
      return;
    }
    if (l.baseline && !l.followUp) {
      missing.push(l.lesionId);
      return;
    }
    if (l.baseline && l.followUp) {
      const c = sstrLesionChange(l.lesionId, l.baseline, l.followUp, policy);
      changes.push({ ...c, lesionId: l.lesionId });
      reasons.push(...c.reasons);
    }
  });
  const measureOf = (c: SstrChange) =>
    policy.lesionMeasure === "suvMax" ? c.suvMaxChange : c.tumourToLiverChange;
  const meanChange = changes.length
    ? changes.reduce((s, c) => s + measureOf(c), 0) / changes.length
    : null;
  const out = (category: SstrPetCategory): SstrPetAssessment => ({
    category,
    reasons,
    ruleSet,
    lesions: changes,
    newLesionIds,
    meanChange,
  });
  if (newLesionIds.length > 0) {
    reasons.unshift({
      code: "SSTR_NEW_LESIONS",
      message: `new SSTR-avid lesion(s) ${newLesionIds.join(", ")} → INCREASE`,
      lesionIds: newLesionIds,
      rule,
    });
    return out("INCREASE");
  }
  if (missing.length > 0) {
    reasons.unshift({
      code: "SSTR_NOT_EVALUATED",
      message: `lesion(s) ${missing.join(", ")} not measured at follow-up → not evaluable`,
      lesionIds: missing,
      rule,
    });
    return out("NE");
  }
  if (changes.length === 0) {
    reasons.unshift({
      code: "SSTR_NO_LESIONS",
      message: "no lesion measured at both time points → not evaluable",
      rule,
    });
    return out("NE");
  }
  const dirs = changes.map((c) =>
    policy.lesionMeasure === "suvMax" ? c.direction.suvMax : c.direction.tumourToLiver,
  );
  const up = changes.filter((_, i) => dirs[i] === "increase").map((c) => c.lesionId);
  const down = changes.filter((_, i) => dirs[i] === "decrease").map((c) => c.lesionId);
  const measure = policy.lesionMeasure === "suvMax" ? "SUVmax" : "tumour-to-liver ratio";
  const thr = `±${num(policy.significantRelativeChange * 100)} %`;
  let category: SstrPetCategory;
  if (up.length && down.length) category = "MIXED";
  else if (up.length) category = "INCREASE";
  else if (down.length) category = "DECREASE";
  else category = "STABLE";
  const mean = meanChange ?? 0;
  reasons.unshift({
    code: `SSTR_${category}`,
    message: `${measure} (${thr}): ${up.length} lesion(s) increasing, ${down.length} decreasing, ${changes.length - up.length - down.length} stable of ${changes.length} (mean ${pct(mean)}) → ${category}`,
    lesionIds: changes.map((c) => c.lesionId),
    values: {
      increasing: up.length,
      decreasing: down.length,
      lesions: changes.length,
      meanChange: mean,
    },
    thresholds: {
      significantRelativeChange: policy.significantRelativeChange,
      lesionMeasure: policy.lesionMeasure,
    },
    rule,
  });
  return out(category);
}

/**
 * Cumulative absorbed dose over cycles, `D_sum = Σ D_i` (Gy) — the absorbed-dose budget term of
 * dosimetry.md §8 (`Dsum = sum(hist.map(c => c.D_Gy))`), applied to a lesion's per-cycle doses
 * for "lesion dose vs response". Null for an empty list (no dosimetry).
 *
 * @param dosesGy per-cycle absorbed doses, Gy, each ≥ 0
 * @throws RangeError naming `dosesGy[i]` for negative or non-finite values.
 */
export function cumulativeAbsorbedDoseGy(dosesGy: readonly number[]): number | null {
  array("dosesGy", dosesGy);
  if (dosesGy.length === 0) return null;
  return dosesGy.reduce((s, d, i) => {
    if (!Number.isFinite(d) || d < 0)
      throw new RangeError(`dosesGy[${i}] must be a finite number ≥ 0, got ${d}`);
    return s + d;
  }, 0);
}

/**
 * Total lesion glycolysis of a scan, `TLG = Σ (SUVmean × MTV)` over its lesions, for PERCIST's
 * "≥ 75 % increase in TLG" PMD rule (response-criteria.md §4.3). Null when any lesion lacks a
 * TLG (a partial sum would understate the extent) or there are no lesions.
 *
 * @param tlgs per-lesion TLG (SUV·mL), each ≥ 0 or null
 * @throws RangeError naming `tlgs[i]` for negative or non-finite values.
 */
export function totalLesionGlycolysis(tlgs: readonly (number | null)[]): number | null {
  array("tlgs", tlgs);
  if (tlgs.length === 0 || tlgs.some((t) => t === null)) return null;
  return (tlgs as number[]).reduce((s, t, i) => {
    if (!Number.isFinite(t) || t < 0)
      throw new RangeError(`tlgs[${i}] must be a finite number ≥ 0, got ${t}`);
    return s + t;
  }, 0);
}
