/**
 * Receptor-imaging scores: Krenning / modified Krenning per lesion (reference/response-criteria.md
 * §6.1; Kwekkeboom DJ, Krenning EP, Semin Nucl Med 2002;32:84–91), uptake eligibility and
 * change between time points.
 */
import { array, BOUNDARY_EPS, finite, nonEmptyString, nonNegative, pct, positive } from "./guards";
import type { ResponseAssessment, ResponseReason } from "./types";

/** Krenning grade 0–4. */
export type KrenningGrade = 0 | 1 | 2 | 3 | 4;
/** Imaging modality of a grade (PET grades run higher – store it with every grade). */
export type KrenningModality = "PLANAR_111IN" | "SPECT" | "SSTR_PET";

/** Inputs of {@link suggestedKrenningScore}. */
export interface KrenningInput {
  lesionId: string;
  /** Lesion uptake (SUVmax on PET, or counts/pixel on planar/SPECT – same unit as references). */
  lesionUptake: number;
  /** Normal-liver reference (mean). */
  liverUptake: number;
  /** Spleen reference (mean); null/undefined if absent (splenectomy) or unsuitable. */
  spleenUptake?: number | null;
  /** Kidney reference, used for grade 4 when the spleen is absent/unsuitable. */
  kidneyUptake?: number | null;
  /** Lesion visible at all. */
  visible: boolean;
  modality: KrenningModality;
}

/** Named policy for the quantitative Krenning helper. */
export interface KrenningPolicy {
  /** Lower edge of the "≈ liver" (grade 2) band as a fraction of liver uptake (0.8, response-criteria.md §6.1 pseudo-code). */
  liverApproxBandFraction: number;
}

/** Default: 0.8 × liver ("policy: ≈ liver band", response-criteria.md §6.1). */
export const KRENNING_DEFAULT_POLICY: Readonly<KrenningPolicy> = { liverApproxBandFraction: 0.8 };

/** Result of {@link suggestedKrenningScore}. */
export interface KrenningAssessment extends ResponseAssessment<`${KrenningGrade}`> {
  grade: KrenningGrade;
  /** "Krenning" for planar 111In / SPECT, "modified Krenning" for SSTR PET. */
  scale: "Krenning" | "modified Krenning";
  modality: KrenningModality;
  /** Always true: a quantitative suggestion, NOT a validated definition – the reader may override. */
  suggested: true;
  /** Organ used for the grade-4 comparison. */
  grade4Reference: "spleen" | "kidneys" | "none";
}

/**
 * Suggested Krenning grade from quantitative uptake (visual scale 0–4): not visible → 0;
 * > spleen (or kidneys when no spleen) → 4; > liver → 3; ≥ 0.8 × liver → 2; else 1.
 * Without a spleen or kidney reference grade 4 cannot be assigned (capped at 3, reason given).
 * Labelled "suggested" – response-criteria.md §6.1 calls it an implementation convenience.
 *
 * Source: response-criteria.md §6.1 (Kwekkeboom & Krenning 2002; modified Krenning on SSTR PET).
 * @throws TypeError / RangeError naming the field (`liverUptake must be > 0, got 0`).
 */
export function suggestedKrenningScore(
  input: KrenningInput,
  policy: KrenningPolicy = KRENNING_DEFAULT_POLICY,
): KrenningAssessment {
  nonEmptyString("lesionId", input.lesionId);
  const les = nonNegative("lesionUptake", input.lesionUptake);
  const liver = positive("liverUptake", input.liverUptake);
  const spleen = input.spleenUptake == null ? null : positive("spleenUptake", input.spleenUptake);
  const kidney = input.kidneyUptake == null ? null : positive("kidneyUptake", input.kidneyUptake);
  const scale = input.modality === "SSTR_PET" ? "modified Krenning" : "Krenning";
  const ref4: KrenningAssessment["grade4Reference"] =
    spleen !== null ? "spleen" : kidney !== null ? "kidneys" : "none";
  const ref4Val = spleen ?? kidney;
  const vals = {
    lesionUptake: les,
    liverUptake: liver,
    spleenUptake: spleen,
    kidneyUptake: kidney,
  };
  const thr = { liverApproxBandFraction: policy.liverApproxBandFraction };
  const rule = "response-criteria.md §6.1 suggestedKrenning (policy: ≈ liver band)";
  const reasons: ResponseReason[] = [];
  const out = (grade: KrenningGrade, message: string): KrenningAssessment => {
    reasons.push({
      code: `KRENNING_${grade}`,
      message: `${input.lesionId}: ${message} → ${scale} ${grade} (suggested)`,
      lesionIds: [input.lesionId],
      values: vals,
      thresholds: thr,
      rule,
    });
    return {
      category: `${grade}`,
      grade,
      scale,
      modality: input.modality,
      suggested: true,
      grade4Reference: ref4,
      reasons,
      ruleSet: scale,
    };
  };
  if (!input.visible) return out(0, "no visible uptake");
  if (ref4Val !== null && les > ref4Val + BOUNDARY_EPS)
    return out(4, `uptake ${les} > ${ref4} ${ref4Val}`);
  if (ref4Val === null) {
    reasons.push({
      code: "NO_GRADE4_REFERENCE",
      message: `${input.lesionId}: no spleen or kidney reference – grade 4 not assessable`,
      lesionIds: [input.lesionId],
      rule,
    });
  }
  if (les > liver + BOUNDARY_EPS) return out(3, `uptake ${les} > liver ${liver}`);
  if (les >= policy.liverApproxBandFraction * liver - BOUNDARY_EPS) {
    return out(2, `uptake ${les} ≈ liver ${liver} (≥ ${policy.liverApproxBandFraction} × liver)`);
  }
  return out(1, `uptake ${les} < ${policy.liverApproxBandFraction} × liver ${liver}`);
}

/** Named eligibility threshold (response-criteria.md §6.1 "Eligibility mapping"). */
export interface SstrEligibilityPolicy {
  /** Minimum grade in ALL target lesions: 2 (≥ liver, NETTER-style) or 3 (> liver, many PET-era programmes). */
  minGrade: 2 | 3;
  /** Citation recorded with the decision. */
  source: string;
}

/** Default: grade ≥ 2 in all targets ("at least as high as normal liver", NETTER-3 listing; response-criteria.md §6.1). */
export const SSTR_ELIGIBILITY_NETTER: Readonly<SstrEligibilityPolicy> = {
  minGrade: 2,
  source:
    "uptake ≥ normal liver in all target lesions (NETTER-3 listing; NETTER-1 concept on planar imaging unverified) – response-criteria.md §6.1",
};
/** Alternative: grade ≥ 3 (> liver), e.g. Zidan dual-tracer scale (modified Krenning 3–4 positive). */
export const SSTR_ELIGIBILITY_ABOVE_LIVER: Readonly<SstrEligibilityPolicy> = {
  minGrade: 3,
  source:
    "uptake > liver (modified Krenning 3–4), PET-era programmes / Zidan et al. – response-criteria.md §6.1",
};

/**
 * SSTR-uptake eligibility: every target lesion must reach `policy.minGrade`.
 *
 * Source: response-criteria.md §6.1 eligibility mapping (configurable threshold with source).
 * @throws RangeError naming `lesions[i].grade` when not an integer 0–4; RangeError if empty.
 */
export function sstrUptakeEligibility(
  lesions: readonly { lesionId: string; grade: KrenningGrade }[],
  policy: SstrEligibilityPolicy = SSTR_ELIGIBILITY_NETTER,
): ResponseAssessment<"ELIGIBLE" | "NOT_ELIGIBLE"> & { failingLesionIds: string[] } {
  array("lesions", lesions);
  if (lesions.length === 0) throw new RangeError("lesions must contain ≥ 1 target lesion, got 0");
  lesions.forEach((l, i) => {
    if (!Number.isInteger(l.grade) || l.grade < 0 || l.grade > 4) {
      throw new RangeError(`lesions[${i}].grade must be an integer 0–4, got ${String(l.grade)}`);
    }
  });
  const failing = lesions.filter((l) => l.grade < policy.minGrade).map((l) => l.lesionId);
  const ok = failing.length === 0;
  return {
    category: ok ? "ELIGIBLE" : "NOT_ELIGIBLE",
    failingLesionIds: failing,
    reasons: [
      {
        code: ok ? "SSTR_UPTAKE_SUFFICIENT" : "SSTR_UPTAKE_INSUFFICIENT",
        message: ok
          ? `all ${lesions.length} target lesions have Krenning ≥ ${policy.minGrade}`
          : `${failing.length} target lesion(s) below Krenning ${policy.minGrade}: ${failing.join(", ")}`,
        lesionIds: failing,
        thresholds: { minGrade: policy.minGrade, source: policy.source },
        rule: "response-criteria.md §6.1 eligibility mapping",
      },
    ],
    ruleSet: `SSTR uptake ≥ Krenning ${policy.minGrade}`,
  };
}

/** One lesion's SSTR-PET measurements at one time point. */
export interface SstrLesionMeasurement {
  krenning?: KrenningGrade;
  suvMax: number;
  /** Liver SUVmean of the same scan (tumour-to-liver ratio reference). */
  liverSuvMean: number;
}

/** Named policy for SSTR change (no validated thresholds in the reference). */
export interface SstrChangePolicy {
  /**
   * Relative change of SUVmax / tumour-to-liver ratio called "increase"/"decrease" (default 0.30).
   * NOT validated for SSTR PET: borrowed from the PERCIST ±30 % magnitude (response-criteria.md §4.3)
   * as a display convention; response-criteria.md gives no SSTR change threshold.
   */
  significantRelativeChange: number;
}

/** Default SSTR change policy (30 %, see {@link SstrChangePolicy}). */
export const SSTR_CHANGE_DEFAULT_POLICY: Readonly<SstrChangePolicy> = {
  significantRelativeChange: 0.3,
};

/** Direction of a change under the policy. */
export type SstrChangeDirection = "increase" | "decrease" | "stable";

/** Result of {@link sstrLesionChange}. */
export interface SstrChange {
  krenningDelta: number | null;
  suvMaxChange: number;
  tumourToLiverBaseline: number;
  tumourToLiverFollowUp: number;
  tumourToLiverChange: number;
  direction: {
    krenning: SstrChangeDirection | null;
    suvMax: SstrChangeDirection;
    tumourToLiver: SstrChangeDirection;
  };
  reasons: ResponseReason[];
}

/**
 * Change of one lesion between SSTR-PET time points: Krenning Δ (grades), SUVmax relative
 * change, tumour-to-liver ratio TLR = SUVmax/liver SUVmean and its relative change; each
 * classified increase / decrease / stable against `significantRelativeChange` (Krenning: any
 * grade change). TLR corrects for global uptake shifts (e.g. SSA timing) that move SUVmax.
 *
 * Source: response-criteria.md §6.1 (Krenning), suv.md (T/L ratio); the threshold is a named
 * policy (no validated SSTR threshold in the reference).
 * @throws RangeError / TypeError naming `baseline.suvMax` etc.
 */
export function sstrLesionChange(
  lesionId: string,
  baseline: SstrLesionMeasurement,
  followUp: SstrLesionMeasurement,
  policy: SstrChangePolicy = SSTR_CHANGE_DEFAULT_POLICY,
): SstrChange {
  nonEmptyString("lesionId", lesionId);
  const sb = positive("baseline.suvMax", baseline.suvMax);
  const sf = nonNegative("followUp.suvMax", followUp.suvMax);
  const lb = positive("baseline.liverSuvMean", baseline.liverSuvMean);
  const lf = positive("followUp.liverSuvMean", followUp.liverSuvMean);
  const t = finite("policy.significantRelativeChange", policy.significantRelativeChange);
  const dir = (x: number): SstrChangeDirection =>
    x >= t - BOUNDARY_EPS ? "increase" : x <= -t + BOUNDARY_EPS ? "decrease" : "stable";
  const suvCh = (sf - sb) / sb;
  const tlrB = sb / lb;
  const tlrF = sf / lf;
  const tlrCh = (tlrF - tlrB) / tlrB;
  const kd =
    baseline.krenning !== undefined && followUp.krenning !== undefined
      ? followUp.krenning - baseline.krenning
      : null;
  const direction = {
    krenning:
      kd === null
        ? null
        : kd > 0
          ? ("increase" as const)
          : kd < 0
            ? ("decrease" as const)
            : ("stable" as const),
    suvMax: dir(suvCh),
    tumourToLiver: dir(tlrCh),
  };
  const reasons: ResponseReason[] = [
    {
      code: "SSTR_CHANGE",
      message: `${lesionId}: SUVmax ${sb} → ${sf} (${pct(suvCh)}, ${direction.suvMax}); T/L ${tlrB.toFixed(2)} → ${tlrF.toFixed(2)} (${pct(tlrCh)}, ${direction.tumourToLiver})${kd === null ? "" : `; Krenning ${String(baseline.krenning)} → ${String(followUp.krenning)}`}`,
      lesionIds: [lesionId],
      values: {
        suvMaxChange: suvCh,
        tumourToLiverBaseline: tlrB,
        tumourToLiverFollowUp: tlrF,
        tumourToLiverChange: tlrCh,
        krenningDelta: kd,
      },
      thresholds: { significantRelativeChange: t },
      rule: "response-criteria.md §6.1; threshold = SstrChangePolicy (not validated for SSTR PET)",
    },
  ];
  if (direction.suvMax !== direction.tumourToLiver) {
    reasons.push({
      code: "SUV_AND_TLR_DISAGREE",
      message: `${lesionId}: SUVmax says ${direction.suvMax} but tumour-to-liver ratio says ${direction.tumourToLiver} – check liver reference / SSA timing`,
      lesionIds: [lesionId],
      rule: "response-criteria.md §6.1",
    });
  }
  return {
    krenningDelta: kd,
    suvMaxChange: suvCh,
    tumourToLiverBaseline: tlrB,
    tumourToLiverFollowUp: tlrF,
    tumourToLiverChange: tlrCh,
    direction,
    reasons,
  };
}

/** SSTR-RADS 1.0 lesion categories (stored verbatim, response-criteria.md §6.2). */
export const SSTR_RADS_CATEGORIES = ["1A", "1B", "2", "3A", "3B", "3C", "3D", "4", "5"] as const;
/** One SSTR-RADS 1.0 category string. */
export type SstrRadsCategory = (typeof SSTR_RADS_CATEGORIES)[number];

/**
 * Validates an SSTR-RADS 1.0 category string (verbatim storage, e.g. "3D"); the reader's
 * PRRT-qualifier flag is NOT derived. `receptorNegativeNetLike` is true for 3D (NET-typical
 * lesion lacking SSTR uptake – the SSTR-only analogue of FDG+/SSTR− discordance).
 *
 * Source: response-criteria.md §6.2 (Werner RA et al., J Nucl Med 2018;59:1085–1091; several
 * sub-category wordings unverified there).
 * @throws RangeError naming the value when it is not a valid category.
 */
export function parseSstrRadsCategory(value: string): {
  category: SstrRadsCategory;
  receptorNegativeNetLike: boolean;
} {
  const v = typeof value === "string" ? value.trim().toUpperCase() : value;
  if (!(SSTR_RADS_CATEGORIES as readonly string[]).includes(v)) {
    throw new RangeError(
      `value must be an SSTR-RADS 1.0 category (${SSTR_RADS_CATEGORIES.join(", ")}), got ${JSON.stringify(value)}`,
    );
  }
  return { category: v as SstrRadsCategory, receptorNegativeNetLike: v === "3D" };
}
