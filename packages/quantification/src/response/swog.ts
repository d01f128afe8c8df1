/**
 * SWOG-derived "Kwekkeboom" criteria used in the Rotterdam PRRT series (Kwekkeboom DJ et al.,
 * J Clin Oncol 2005 and 2008;26:2124–2130) and the Choi criteria (Choi H et al., J Clin Oncol
 * 2007;25:1753–1759), as specified in reference/response-criteria.md §2 and §3.
 */
import { array, BOUNDARY_EPS, nonEmptyString, nonNegative, num, pct, positive } from "./guards";
import type { ResponseAssessment, ResponseReason } from "./types";

/** SWOG/Kwekkeboom categories (MR = minor response). */
export type SwogKwekkeboomCategory = "CR" | "PR" | "MR" | "SD" | "PD" | "NE";

/** Bidimensional measurement of one lesion. */
export interface BidimensionalLesion {
  lesionId: string;
  /** Longest diameter (mm). */
  longestDiameterMm: number | null;
  /** Greatest perpendicular diameter (mm). */
  perpendicularDiameterMm: number | null;
}

/**
 * Named thresholds (response-criteria.md §2, "exact wording and boundary inclusivity
 * unverified"): PR ≤ −50 %, MR ≤ −25 % (and > −50 %), PD ≥ +25 % change in the sum of products.
 * A 25 % / 50 % area decrease equals ≈ 13 % / 29 % shrinkage of each diameter
 * (1 − √0.75 = 13.4 %, 1 − √0.5 = 29.3 %) – the "minor response 13–29 %" often quoted.
 */
export interface SwogKwekkeboomPolicy {
  prDecrease: number;
  mrDecrease: number;
  pdIncrease: number;
  /** Comparator for the change: "baseline" (default, pseudo-code) or "nadir" (smallest prior SOP). */
  comparator: "baseline" | "nadir";
}

/** Default: PR 50 %, MR 25 %, PD 25 %, vs baseline (response-criteria.md §2 pseudo-code). */
export const SWOG_KWEKKEBOOM_DEFAULT_POLICY: Readonly<SwogKwekkeboomPolicy> = {
  prDecrease: 0.5,
  mrDecrease: 0.25,
  pdIncrease: 0.25,
  comparator: "baseline",
};

/**
 * Sum of products LD × perpendicular (mm²); null if any lesion lacks a diameter.
 *
 * Source: response-criteria.md §2 ("sum of products (LD × perpendicular diameter)").
 * @throws RangeError naming `lesions[i].longestDiameterMm` for negative values.
 */
export function sumOfProductsMm2(lesions: readonly BidimensionalLesion[]): number | null {
  array("lesions", lesions);
  let s = 0;
  for (const [i, l] of lesions.entries()) {
    if (l.longestDiameterMm === null || l.perpendicularDiameterMm === null) return null;
    s +=
      nonNegative(`lesions[${i}].longestDiameterMm`, l.longestDiameterMm) *
      nonNegative(`lesions[${i}].perpendicularDiameterMm`, l.perpendicularDiameterMm);
  }
  return s;
}

/** Inputs of {@link assessSwogKwekkeboom}. */
export interface SwogKwekkeboomInput {
  baseline: readonly BidimensionalLesion[];
  current: readonly BidimensionalLesion[];
  newLesions: boolean;
  /** SOPs (mm²) of prior follow-ups, for `comparator: "nadir"`. */
  priorSopsMm2?: readonly number[];
}

/**
 * SWOG / Kwekkeboom response: new lesion → PD; all lesions gone → CR;
 * ch = (SOP_cur − SOP_ref)/SOP_ref; ch ≥ +25 % → PD; ≤ −50 % → PR; ≤ −25 % → MR; else SD.
 * Missing measurement → NE. Worked example: 40 × 30 → 30 × 25 mm = −37.5 % → MR.
 *
 * Source: response-criteria.md §2 (Kwekkeboom 2008 as commonly cited; inclusivity unverified).
 * @throws RangeError / TypeError naming the field; RangeError if baseline SOP is 0.
 */
export function assessSwogKwekkeboom(
  input: SwogKwekkeboomInput,
  policy: SwogKwekkeboomPolicy = SWOG_KWEKKEBOOM_DEFAULT_POLICY,
): ResponseAssessment<SwogKwekkeboomCategory> & {
  sopMm2: number | null;
  referenceSopMm2: number;
  change: number | null;
} {
  const ruleSet = "SWOG/Kwekkeboom (modified)";
  const rule = "response-criteria.md §2";
  const baseSop = sumOfProductsMm2(input.baseline);
  if (baseSop === null)
    throw new RangeError("baseline lesions must all have both diameters, got a null diameter");
  positive("baseline sum of products", baseSop);
  input.current.forEach((l, i) => nonEmptyString(`current[${i}].lesionId`, l.lesionId));
  const cur = input.baseline.map((b) => input.current.find((c) => c.lesionId === b.lesionId));
  const missing = input.baseline.filter((_, i) => cur[i] === undefined).map((b) => b.lesionId);
  const sop = missing.length ? null : sumOfProductsMm2(cur as BidimensionalLesion[]);
  const ref =
    policy.comparator === "nadir"
      ? Math.min(
          baseSop,
          ...(input.priorSopsMm2 ?? []).map((v, i) => nonNegative(`priorSopsMm2[${i}]`, v)),
        )
      : baseSop;
  const reasons: ResponseReason[] = [];
  const out = (category: SwogKwekkeboomCategory, change: number | null) => ({
    category,
    reasons,
    ruleSet,
    sopMm2: sop,
    referenceSopMm2: ref,
    change,
  });
  if (input.newLesions) {
    reasons.push({ code: "NEW_LESIONS", message: "new lesions → PD", rule });
    return out("PD", sop === null || ref === 0 ? null : (sop - ref) / ref);
  }
  if (sop === null) {
    reasons.push({
      code: "NE_MISSING_MEASUREMENTS",
      message: `lesion(s) not measured: ${missing.join(", ") || "a diameter is missing"} → NE`,
      lesionIds: missing,
      rule,
    });
    return out("NE", null);
  }
  if (sop === 0) {
    reasons.push({ code: "CR", message: "complete disappearance of all lesions → CR", rule });
    return out("CR", -1);
  }
  const ch = ref > 0 ? (sop - ref) / ref : Infinity;
  const vals = { sopMm2: sop, referenceSopMm2: ref, change: ch, comparator: policy.comparator };
  const thr = {
    prDecrease: policy.prDecrease,
    mrDecrease: policy.mrDecrease,
    pdIncrease: policy.pdIncrease,
  };
  const cat: SwogKwekkeboomCategory =
    ch >= policy.pdIncrease - BOUNDARY_EPS
      ? "PD"
      : ch <= -policy.prDecrease + BOUNDARY_EPS
        ? "PR"
        : ch <= -policy.mrDecrease + BOUNDARY_EPS
          ? "MR"
          : "SD";
  reasons.push({
    code: cat,
    message: `sum of products ${num(sop)} mm² vs ${policy.comparator} ${num(ref)} mm²: ${pct(ch)} → ${cat}`,
    values: vals,
    thresholds: thr,
    rule,
  });
  return out(cat, ch);
}

/** Choi categories (research view only – not validated for PRRT). */
export type ChoiCategory = "CR" | "PR" | "SD" | "PD";

/** Inputs of {@link assessChoi}. */
export interface ChoiInput {
  baselineSodMm: number;
  currentSodMm: number;
  /** Mean CT attenuation of the targets (HU) at baseline and now. */
  baselineMeanHu: number;
  currentMeanHu: number;
  newLesions: boolean;
  allLesionsGone: boolean;
  nonMeasurableProgression?: boolean;
  newIntratumoralNodules?: boolean;
}

/**
 * Choi criteria: CR all gone; PR ≥ 10 % SoD decrease OR ≥ 15 % mean-HU decrease (no new
 * lesions, no non-measurable progression); PD ≥ 10 % SoD increase and not PR by attenuation,
 * or new lesions / new intratumoral nodules; else SD. Example: SoD −8 %, HU 80 → 64 (−20 %) → PR.
 *
 * Source: response-criteria.md §3 (Choi 2007; thresholds unverified there). Research view
 * only – not validated for PRRT.
 * @throws RangeError naming the field (`baselineSodMm must be > 0, got 0`).
 */
export function assessChoi(input: ChoiInput): ResponseAssessment<ChoiCategory> {
  const b = positive("baselineSodMm", input.baselineSodMm);
  const c = nonNegative("currentSodMm", input.currentSodMm);
  const hb = positive("baselineMeanHu", input.baselineMeanHu);
  const hc = nonNegative("currentMeanHu", input.currentMeanHu);
  const dS = (c - b) / b;
  const dH = (hc - hb) / hb;
  const rule = "response-criteria.md §3 (research view; not validated for PRRT)";
  const vals = { sodChange: dS, huChange: dH };
  const r = (category: ChoiCategory, message: string): ResponseAssessment<ChoiCategory> => ({
    category,
    reasons: [{ code: category, message, values: vals, thresholds: { sod: 0.1, hu: 0.15 }, rule }],
    ruleSet: "Choi",
  });
  if (input.newLesions || input.newIntratumoralNodules)
    return r("PD", "new lesions or new intratumoral nodules → PD");
  if (input.allLesionsGone) return r("CR", "all lesions gone, no new lesions → CR");
  const prBySize = dS <= -0.1 + BOUNDARY_EPS;
  const prByHu = dH <= -0.15 + BOUNDARY_EPS;
  if ((prBySize || prByHu) && !input.nonMeasurableProgression) {
    return r(
      "PR",
      `SoD ${pct(dS)}, mean HU ${hb} → ${hc} (${pct(dH)}): ${prBySize ? "≥ 10 % size decrease" : "≥ 15 % attenuation decrease"} → PR`,
    );
  }
  if (dS >= 0.1 - BOUNDARY_EPS && !prByHu)
    return r("PD", `SoD ${pct(dS)} (≥ +10 %) and not PR by attenuation → PD`);
  return r("SD", `SoD ${pct(dS)}, mean HU ${pct(dH)} → SD`);
}
