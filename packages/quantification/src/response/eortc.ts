/**
 * EORTC 1999 PET response criteria (Young H et al., Eur J Cancer 1999;35:1773–1782) as
 * specified in reference/response-criteria.md §5 (comparison table PMC4377159).
 */
import { BOUNDARY_EPS, finite, nonNegative, pct, positive } from "./guards";
import type { ResponseAssessment, ResponseReason } from "./types";

/** EORTC categories. */
export type EortcCategory = "CMR" | "PMR" | "SMD" | "PMD";

/** Inputs of {@link assessEortc}. */
export interface EortcInput {
  /** SUV of the lesion region defined at baseline (record which SUV variant – EORTC recommended SUVbsa). */
  baselineSuv: number;
  followUpSuv: number;
  /** Treatment cycles given before the follow-up scan (integer ≥ 0). */
  cyclesGiven: number;
  /** Fractional increase in the longest dimension of the FDG extent (0.25 = +25 %), optional. */
  extentIncrease?: number;
  newLesions: boolean;
  /** Complete resolution of uptake, indistinguishable from normal tissue (reader). */
  completeResolution: boolean;
  suvVariant?: string;
}

/** Named EORTC thresholds (response-criteria.md §5). */
export interface EortcPolicy {
  /** PMD: SUV increase > 25 % (exclusive). */
  pmdSuvIncrease: number;
  /** PMD: extent increase > 20 % (exclusive). */
  pmdExtentIncrease: number;
  /** PMR after ≤ 1 cycle: decrease ≥ 15 % (inclusive). */
  pmrDecreaseAfterOneCycle: number;
  /** PMR after > 1 cycle: decrease > 25 % (exclusive). */
  pmrDecreaseAfterMoreCycles: number;
}

/** Default EORTC 1999 thresholds (Young 1999 via PMC4377159; response-criteria.md §5). */
export const EORTC_1999_DEFAULT_POLICY: Readonly<EortcPolicy> = {
  pmdSuvIncrease: 0.25,
  pmdExtentIncrease: 0.2,
  pmrDecreaseAfterOneCycle: 0.15,
  pmrDecreaseAfterMoreCycles: 0.25,
};

/**
 * EORTC 1999 metabolic response: new lesions or extent > +20 % → PMD; complete resolution →
 * CMR; ΔSUV > +25 % → PMD; ΔSUV ≤ −15 % after one cycle, or < −25 % after more than one →
 * PMR; else SMD. ΔSUV = (SUV_f − SUV_b)/SUV_b.
 *
 * Source: response-criteria.md §5 pseudo-code and example (−20 % after 1 cycle → PMR, after 3 → SMD).
 * @throws TypeError / RangeError naming the field (`baselineSuv must be > 0, got 0`,
 *   `cyclesGiven must be an integer ≥ 0, got 1.5`).
 */
export function assessEortc(
  input: EortcInput,
  policy: EortcPolicy = EORTC_1999_DEFAULT_POLICY,
): ResponseAssessment<EortcCategory> & { suvChange: number } {
  const b = positive("baselineSuv", input.baselineSuv);
  const f = nonNegative("followUpSuv", input.followUpSuv);
  if (!Number.isInteger(input.cyclesGiven) || input.cyclesGiven < 0) {
    throw new RangeError(`cyclesGiven must be an integer ≥ 0, got ${input.cyclesGiven}`);
  }
  const ext =
    input.extentIncrease === undefined ? undefined : finite("extentIncrease", input.extentIncrease);
  const ch = (f - b) / b;
  const rule = "response-criteria.md §5";
  const vals = {
    baselineSuv: b,
    followUpSuv: f,
    suvChange: ch,
    cyclesGiven: input.cyclesGiven,
    suvVariant: input.suvVariant ?? "unspecified",
  };
  const reasons: ResponseReason[] = [];
  const out = (
    category: EortcCategory,
  ): ResponseAssessment<EortcCategory> & { suvChange: number } => ({
    category,
    reasons,
    ruleSet: "EORTC 1999",
    suvChange: ch,
  });
  if (input.newLesions) {
    reasons.push({ code: "NEW_LESIONS", message: "new lesions → PMD", values: vals, rule });
    return out("PMD");
  }
  if (ext !== undefined && ext > policy.pmdExtentIncrease + BOUNDARY_EPS) {
    reasons.push({
      code: "PMD_EXTENT",
      message: `FDG extent longest dimension ${pct(ext)} (> +${policy.pmdExtentIncrease * 100} %) → PMD`,
      values: { ...vals, extentIncrease: ext },
      thresholds: { pmdExtentIncrease: policy.pmdExtentIncrease },
      rule,
    });
    return out("PMD");
  }
  if (input.completeResolution) {
    reasons.push({
      code: "CMR",
      message: "complete resolution of FDG uptake → CMR",
      values: vals,
      rule,
    });
    return out("CMR");
  }
  if (ch > policy.pmdSuvIncrease + BOUNDARY_EPS) {
    reasons.push({
      code: "PMD_SUV",
      message: `SUV ${b} → ${f} (${pct(ch)} > +${policy.pmdSuvIncrease * 100} %) → PMD`,
      values: vals,
      thresholds: { pmdSuvIncrease: policy.pmdSuvIncrease },
      rule,
    });
    return out("PMD");
  }
  const one = input.cyclesGiven <= 1;
  const pmr = one
    ? ch <= -policy.pmrDecreaseAfterOneCycle + BOUNDARY_EPS
    : ch < -policy.pmrDecreaseAfterMoreCycles - BOUNDARY_EPS;
  const thr = one
    ? `≤ −${policy.pmrDecreaseAfterOneCycle * 100} % after ${input.cyclesGiven} cycle(s)`
    : `< −${policy.pmrDecreaseAfterMoreCycles * 100} % after ${input.cyclesGiven} cycles`;
  reasons.push({
    code: pmr ? "PMR" : "SMD",
    message: `SUV ${b} → ${f} (${pct(ch)}); PMR needs ${thr} → ${pmr ? "PMR" : "SMD"}`,
    values: vals,
    thresholds: {
      pmrDecrease: one ? policy.pmrDecreaseAfterOneCycle : policy.pmrDecreaseAfterMoreCycles,
      cycleDependent: true,
    },
    rule: `${rule} (cycle-dependent PMR threshold)`,
  });
  return out(pmr ? "PMR" : "SMD");
}
