/**
 * RECIST 1.1 (Eisenhauer EA et al., Eur J Cancer 2009;45:228–247) as specified in
 * reference/response-criteria.md §1: baseline validation, lymph-node rules, sum of diameters,
 * nadir-based PD, target / overall time-point response, best overall response.
 * Lengths in mm; dates ISO-8601.
 */
import { array, BOUNDARY_EPS, isoDateMs, num, nonEmptyString, nonNegative, pct } from "./guards";
import type { ResponseAssessment, ResponseReason } from "./types";

/** Target-lesion time-point response. `NONE`: no target lesions at baseline. */
export type RecistTargetResponse = "CR" | "PR" | "SD" | "PD" | "NE" | "NONE";
/** Non-target response; `NE` = not all evaluated; `NONE` = no non-target lesions at baseline. */
export type RecistNonTargetResponse = "CR" | "NON_CR_NON_PD" | "PD" | "NE" | "NONE";
/** Overall time-point response (`NON_CR_NON_PD` only when there are no target lesions). */
export type RecistOverallResponse = "CR" | "PR" | "SD" | "PD" | "NE" | "NON_CR_NON_PD";

/** A target lesion chosen at baseline. */
export interface RecistTargetLesion {
  lesionId: string;
  /** Organ (used for the max-2-per-organ rule; nodes count as one organ "lymph node" by policy). */
  organ: string;
  /** Lymph node: the short axis is measured; otherwise the long axis. */
  nodal: boolean;
}

/**
 * State of a target measurement (response-criteria.md §1.2 edge cases 3–4):
 * `measured` (default), `too_small_to_measure` (present, record 5 mm), `disappeared` (0 mm),
 * `fragmented` (sum of fragment LDs), `coalesced` (merged into another target: this one
 * records 0, the merged mass's LD goes on the other), `not_evaluated` (missing).
 */
export type RecistMeasurementState =
  | "measured"
  | "too_small_to_measure"
  | "disappeared"
  | "fragmented"
  | "coalesced"
  | "not_evaluated";

/** One target lesion's measurement at one time point. */
export interface RecistTargetMeasurement {
  lesionId: string;
  state?: RecistMeasurementState;
  /** Long axis (mm) – used for non-nodal lesions. */
  longAxisMm?: number | null;
  /** Short axis (mm) – used for lymph nodes. */
  shortAxisMm?: number | null;
  /** Long axes of fragments (mm) when `state = "fragmented"`. */
  fragmentDiametersMm?: readonly number[];
}

/** A new lesion seen at a follow-up. */
export interface RecistNewLesion {
  lesionId: string;
  modality: "CT" | "MRI" | "FDG_PET" | "OTHER";
  /** Reader judges the lesion unequivocally new (equivocal lesions do not trigger PD). */
  unequivocal: boolean;
  /** For FDG-PET lesions: baseline FDG-PET result at that site (edge case 6). */
  baselineFdgPet?: "negative" | "positive" | "not_done";
  /** For FDG-PET lesions: confirmed on CT/MRI (edge case 6). */
  anatomicallyConfirmed?: boolean;
}

/** One imaging time point. */
export interface RecistTimePoint {
  timePointId: string;
  /** ISO-8601 date of the scan. */
  date: string;
  targets: readonly RecistTargetMeasurement[];
  /** Reader's non-target category (PD = unequivocal progression). */
  nonTarget: RecistNonTargetResponse;
  /** Free-text reason for non-target PD (stored with the verdict). */
  nonTargetPdReason?: string;
  newLesions: readonly RecistNewLesion[];
}

/** Named, configurable RECIST thresholds and open choices. */
export interface RecistPolicy {
  /** Max target lesions in total (5, RECIST 1.1). */
  maxTargets: number;
  /** Max target lesions per organ (2, RECIST 1.1). */
  maxTargetsPerOrgan: number;
  /** Count all lymph nodes as one organ for the per-organ rule (true, RECIST 1.1). */
  nodesAsSingleOrgan: boolean;
  /** Minimum LD of a measurable non-nodal lesion (10 mm; or 2 × slice thickness if larger). */
  minMeasurableLongAxisMm: number;
  /** Minimum SA of a measurable (pathological) node (15 mm). */
  minMeasurableNodeShortAxisMm: number;
  /** SA below which a node is normal (10 mm). */
  normalNodeShortAxisMm: number;
  /** Value recorded for "too small to measure" (5 mm, edge case 3). */
  tooSmallToMeasureMm: number;
  /** PD: relative increase over the nadir (0.20) … */
  pdRelativeIncrease: number;
  /** … AND absolute increase (5 mm), edge case 1. */
  pdAbsoluteIncreaseMm: number;
  /** PR: decrease vs baseline (0.30). */
  prRelativeDecrease: number;
  /** Require confirmation of CR/PR (edge case 7; trials where response is the primary endpoint). Default false. */
  confirmationRequired: boolean;
  /** Minimum interval for confirmation (28 days, edge case 7). */
  confirmationMinDays: number;
  /** Minimum interval from baseline for SD to count as best response (42 days = 6 weeks; "commonly 6–8 weeks", edge case 7). */
  sdMinDaysFromBaseline: number;
}

/** Default RECIST 1.1 policy (values: response-criteria.md §1.1–1.2, Eisenhauer 2009). */
export const RECIST_1_1_DEFAULT_POLICY: Readonly<RecistPolicy> = {
  maxTargets: 5,
  maxTargetsPerOrgan: 2,
  nodesAsSingleOrgan: true,
  minMeasurableLongAxisMm: 10,
  minMeasurableNodeShortAxisMm: 15,
  normalNodeShortAxisMm: 10,
  tooSmallToMeasureMm: 5,
  pdRelativeIncrease: 0.2,
  pdAbsoluteIncreaseMm: 5,
  prRelativeDecrease: 0.3,
  confirmationRequired: false,
  confirmationMinDays: 28,
  sdMinDaysFromBaseline: 42,
};

/** Lymph-node class by short axis (response-criteria.md §1.1). */
export type LymphNodeClass = "normal" | "pathological_non_measurable" | "measurable";

/**
 * Classifies a lymph node by short axis: SA < 10 mm normal (not recorded); 10 ≤ SA < 15 mm
 * pathological but non-measurable (non-target); SA ≥ 15 mm measurable.
 *
 * Source: response-criteria.md §1.1 (RECIST 1.1, Eisenhauer 2009).
 * @param shortAxisMm short axis (mm), ≥ 0
 * @param policy thresholds (default {@link RECIST_1_1_DEFAULT_POLICY})
 * @throws TypeError / RangeError naming `shortAxisMm`.
 */
export function classifyLymphNode(
  shortAxisMm: number,
  policy: RecistPolicy = RECIST_1_1_DEFAULT_POLICY,
): LymphNodeClass {
  nonNegative("shortAxisMm", shortAxisMm);
  if (shortAxisMm < policy.normalNodeShortAxisMm) return "normal";
  if (shortAxisMm < policy.minMeasurableNodeShortAxisMm) return "pathological_non_measurable";
  return "measurable";
}

/** A lesion's contribution to the sum of diameters (mm), or null when not evaluated. */
export interface RecistLesionValue {
  lesionId: string;
  nodal: boolean;
  valueMm: number | null;
  reason?: ResponseReason;
}

/**
 * The value a target contributes to the sum of diameters: nodal → short axis, non-nodal →
 * long axis; `too_small_to_measure` → 5 mm; `disappeared` / `coalesced` → 0 mm;
 * `fragmented` → Σ fragment LDs; `not_evaluated` or missing diameter → null.
 *
 * Source: response-criteria.md §1.1 (SoD) and §1.2 edge cases 3, 4, 5.
 * @param lesion baseline target definition
 * @param m measurement at the time point
 * @param policy default {@link RECIST_1_1_DEFAULT_POLICY}
 * @throws RangeError naming the field for a negative diameter or an empty fragment list.
 */
export function recistLesionValue(
  lesion: RecistTargetLesion,
  m: RecistTargetMeasurement | undefined,
  policy: RecistPolicy = RECIST_1_1_DEFAULT_POLICY,
): RecistLesionValue {
  const base = { lesionId: lesion.lesionId, nodal: lesion.nodal };
  if (!m) return { ...base, valueMm: null };
  const state = m.state ?? "measured";
  const edge = (code: string, message: string, rule: string, v: number): RecistLesionValue => ({
    ...base,
    valueMm: v,
    reason: { code, message, lesionIds: [lesion.lesionId], values: { valueMm: v }, rule },
  });
  switch (state) {
    case "too_small_to_measure":
      return edge(
        "TOO_SMALL_TO_MEASURE",
        `${lesion.lesionId}: present but too small to measure → ${policy.tooSmallToMeasureMm} mm recorded`,
        "response-criteria.md §1.2 edge case 3",
        policy.tooSmallToMeasureMm,
      );
    case "disappeared":
      return edge(
        "DISAPPEARED",
        `${lesion.lesionId}: disappeared → 0 mm`,
        "response-criteria.md §1.2 edge case 3",
        0,
      );
    case "coalesced":
      return edge(
        "COALESCED",
        `${lesion.lesionId}: coalesced with another target → 0 mm (merged LD recorded on the other target)`,
        "response-criteria.md §1.2 edge case 4",
        0,
      );
    case "fragmented": {
      const f = m.fragmentDiametersMm ?? [];
      if (f.length === 0) {
        throw new RangeError(
          `fragmentDiametersMm of ${lesion.lesionId} must be non-empty when state is "fragmented", got []`,
        );
      }
      const sum = f.reduce(
        (s, d, i) => s + nonNegative(`fragmentDiametersMm[${i}] of ${lesion.lesionId}`, d),
        0,
      );
      return edge(
        "FRAGMENTED",
        `${lesion.lesionId}: split into ${f.length} fragments → sum of fragment LDs ${sum} mm`,
        "response-criteria.md §1.2 edge case 4",
        sum,
      );
    }
    case "not_evaluated":
      return { ...base, valueMm: null };
    case "measured": {
      const v = lesion.nodal ? m.shortAxisMm : m.longAxisMm;
      if (v === null || v === undefined) return { ...base, valueMm: null };
      nonNegative(
        lesion.nodal ? `shortAxisMm of ${lesion.lesionId}` : `longAxisMm of ${lesion.lesionId}`,
        v,
      );
      return { ...base, valueMm: v };
    }
    default:
      throw new RangeError(
        `state of ${lesion.lesionId} must be a RecistMeasurementState, got ${String(state)}`,
      );
  }
}

/** Result of {@link validateRecistBaseline}. */
export interface RecistBaselineValidation {
  valid: boolean;
  issues: ResponseReason[];
  sumOfDiametersMm: number | null;
}

/**
 * Validates the baseline target selection: ≤ 5 targets, ≤ 2 per organ (nodes as one organ),
 * every target measured, non-nodal LD ≥ max(10 mm, 2 × slice thickness), nodal SA ≥ 15 mm
 * (a node with SA < 10 mm is normal, 10–15 mm non-target).
 *
 * Source: response-criteria.md §1.1 (RECIST 1.1 baseline selection).
 * @param targets target lesions
 * @param baseline baseline measurements
 * @param sliceThicknessMm CT/MRI slice thickness (mm), optional (> 5 mm raises the LD minimum)
 * @param policy default {@link RECIST_1_1_DEFAULT_POLICY}
 * @throws TypeError for malformed lesion ids; RangeError for negative diameters / duplicate ids.
 */
export function validateRecistBaseline(
  targets: readonly RecistTargetLesion[],
  baseline: readonly RecistTargetMeasurement[],
  sliceThicknessMm?: number,
  policy: RecistPolicy = RECIST_1_1_DEFAULT_POLICY,
): RecistBaselineValidation {
  array("targets", targets);
  array("baseline", baseline);
  const issues: ResponseReason[] = [];
  const ids = new Set<string>();
  targets.forEach((t, i) => {
    nonEmptyString(`targets[${i}].lesionId`, t.lesionId);
    if (ids.has(t.lesionId))
      throw new RangeError(`targets[${i}].lesionId must be unique, got duplicate "${t.lesionId}"`);
    ids.add(t.lesionId);
  });
  if (targets.length > policy.maxTargets) {
    issues.push({
      code: "TOO_MANY_TARGETS",
      message: `${targets.length} target lesions selected; RECIST 1.1 allows at most ${policy.maxTargets}`,
      lesionIds: targets.map((t) => t.lesionId),
      values: { targets: targets.length },
      thresholds: { maxTargets: policy.maxTargets },
      rule: "response-criteria.md §1.1 target lesions",
    });
  }
  const byOrgan = new Map<string, string[]>();
  for (const t of targets) {
    const organ = t.nodal && policy.nodesAsSingleOrgan ? "lymph node" : t.organ;
    byOrgan.set(organ, [...(byOrgan.get(organ) ?? []), t.lesionId]);
  }
  for (const [organ, list] of byOrgan) {
    if (list.length > policy.maxTargetsPerOrgan) {
      issues.push({
        code: "TOO_MANY_TARGETS_IN_ORGAN",
        message: `${list.length} target lesions in ${organ}; RECIST 1.1 allows at most ${policy.maxTargetsPerOrgan} per organ`,
        lesionIds: list,
        values: { organ, targets: list.length },
        thresholds: { maxTargetsPerOrgan: policy.maxTargetsPerOrgan },
        rule: "response-criteria.md §1.1 target lesions",
      });
    }
  }
  const minLd = Math.max(
    policy.minMeasurableLongAxisMm,
    sliceThicknessMm !== undefined ? 2 * nonNegative("sliceThicknessMm", sliceThicknessMm) : 0,
  );
  let sum = 0;
  let complete = true;
  for (const t of targets) {
    const m = baseline.find((x) => x.lesionId === t.lesionId);
    const v = recistLesionValue(t, m, policy);
    if (v.valueMm === null || (m?.state ?? "measured") !== "measured") {
      complete = false;
      issues.push({
        code: "BASELINE_NOT_MEASURED",
        message: `${t.lesionId}: a baseline target must have a measured ${t.nodal ? "short" : "long"} axis`,
        lesionIds: [t.lesionId],
        rule: "response-criteria.md §1.1",
      });
      continue;
    }
    sum += v.valueMm;
    if (t.nodal) {
      const cls = classifyLymphNode(v.valueMm, policy);
      if (cls !== "measurable") {
        issues.push({
          code: cls === "normal" ? "NODE_NORMAL" : "NODE_NOT_MEASURABLE",
          message:
            cls === "normal"
              ? `${t.lesionId}: node SA ${v.valueMm} mm < ${policy.normalNodeShortAxisMm} mm is normal – not recorded`
              : `${t.lesionId}: node SA ${v.valueMm} mm (10–15 mm) is pathological but non-measurable → non-target`,
          lesionIds: [t.lesionId],
          values: { shortAxisMm: v.valueMm },
          thresholds: {
            normalBelowMm: policy.normalNodeShortAxisMm,
            measurableFromMm: policy.minMeasurableNodeShortAxisMm,
          },
          rule: "response-criteria.md §1.1 lymph nodes",
        });
      }
    } else if (v.valueMm < minLd) {
      issues.push({
        code: "LESION_NOT_MEASURABLE",
        message: `${t.lesionId}: LD ${v.valueMm} mm < ${minLd} mm minimum → non-measurable`,
        lesionIds: [t.lesionId],
        values: { longAxisMm: v.valueMm },
        thresholds: { minLongAxisMm: minLd },
        rule: "response-criteria.md §1.1 measurable non-nodal lesion",
      });
    }
  }
  return { valid: issues.length === 0, issues, sumOfDiametersMm: complete ? sum : null };
}

/** Result of {@link recistTargetResponse}. */
export interface RecistTargetAssessment extends ResponseAssessment<RecistTargetResponse> {
  sumOfDiametersMm: number | null;
  changeFromBaseline: number | null;
  changeFromNadir: number | null;
}

/**
 * Target-lesion response (response-criteria.md §1.2 pseudo-code):
 * PD if SoD − nadir ≥ 20 % of nadir AND ≥ 5 mm (both); CR if every non-nodal target is 0 and
 * every nodal target < 10 mm (SoD may be > 0); PR if SoD ≤ 70 % of baseline; else SD.
 * Missing measurements → NE, unless the measured lesions alone already meet PD.
 *
 * Source: response-criteria.md §1.2 and edge cases 1, 2, 5 (RECIST 1.1).
 * @param baselineSodMm baseline sum of diameters (mm), > 0 when there are targets
 * @param nadirSodMm smallest SoD at baseline or any PRIOR time point (mm), ≥ 0
 * @param values per-target values (mm or null)
 * @param policy default {@link RECIST_1_1_DEFAULT_POLICY}
 * @throws TypeError / RangeError naming `baselineSodMm` / `nadirSodMm`.
 */
export function recistTargetResponse(
  baselineSodMm: number,
  nadirSodMm: number,
  values: readonly RecistLesionValue[],
  policy: RecistPolicy = RECIST_1_1_DEFAULT_POLICY,
): RecistTargetAssessment {
  const ruleSet = "RECIST 1.1";
  if (values.length === 0) {
    return {
      category: "NONE",
      reasons: [{ code: "NO_TARGETS", message: "no target lesions at baseline" }],
      ruleSet,
      sumOfDiametersMm: null,
      changeFromBaseline: null,
      changeFromNadir: null,
    };
  }
  nonNegative("baselineSodMm", baselineSodMm);
  nonNegative("nadirSodMm", nadirSodMm);
  const reasons: ResponseReason[] = values.flatMap((v) => (v.reason ? [v.reason] : []));
  const pdThr = {
    pdRelativeIncrease: policy.pdRelativeIncrease,
    pdAbsoluteIncreaseMm: policy.pdAbsoluteIncreaseMm,
  };
  const isPd = (sod: number): boolean =>
    sod - nadirSodMm >= policy.pdRelativeIncrease * nadirSodMm - BOUNDARY_EPS &&
    sod - nadirSodMm >= policy.pdAbsoluteIncreaseMm - BOUNDARY_EPS;
  const missing = values.filter((v) => v.valueMm === null);
  if (missing.length > 0) {
    const partial = values.reduce((s, v) => s + (v.valueMm ?? 0), 0);
    if (isPd(partial)) {
      reasons.push({
        code: "PD_DESPITE_MISSING",
        message: `${missing.length} target(s) not measured, but the measured targets alone sum to ${num(partial)} mm: ${pct((partial - nadirSodMm) / (nadirSodMm || 1))} and +${num(partial - nadirSodMm)} mm vs nadir ${nadirSodMm} mm → PD`,
        lesionIds: missing.map((v) => v.lesionId),
        values: { partialSodMm: partial, nadirSodMm },
        thresholds: pdThr,
        rule: "response-criteria.md §1.2 (anyPdDespiteMissing)",
      });
      return {
        category: "PD",
        reasons,
        ruleSet,
        sumOfDiametersMm: null,
        changeFromBaseline: null,
        changeFromNadir: null,
      };
    }
    reasons.push({
      code: "NE_MISSING_MEASUREMENTS",
      message: `${missing.length} target lesion(s) not measured (${missing.map((v) => v.lesionId).join(", ")}) → NE`,
      lesionIds: missing.map((v) => v.lesionId),
      values: { partialSodMm: partial },
      rule: "response-criteria.md general rule: missing data → NE",
    });
    return {
      category: "NE",
      reasons,
      ruleSet,
      sumOfDiametersMm: null,
      changeFromBaseline: null,
      changeFromNadir: null,
    };
  }
  const sod = values.reduce((s, v) => s + (v.valueMm as number), 0);
  const chB = baselineSodMm > 0 ? (sod - baselineSodMm) / baselineSodMm : 0;
  const chN = nadirSodMm > 0 ? (sod - nadirSodMm) / nadirSodMm : sod > 0 ? null : 0;
  const out = (category: RecistTargetResponse): RecistTargetAssessment => ({
    category,
    reasons,
    ruleSet,
    sumOfDiametersMm: sod,
    changeFromBaseline: chB,
    changeFromNadir: chN,
  });
  const vals = {
    sodMm: sod,
    baselineSodMm,
    nadirSodMm,
    changeFromBaseline: chB,
    changeFromNadir: chN,
  };
  if (isPd(sod)) {
    const alsoPr = sod <= (1 - policy.prRelativeDecrease) * baselineSodMm;
    reasons.push({
      code: "PD_SOD_INCREASE_VS_NADIR",
      message: `SoD ${num(sod)} mm is +${num(sod - nadirSodMm)} mm and ${pct(chN)} vs nadir ${nadirSodMm} mm (≥ ${policy.pdRelativeIncrease * 100} % and ≥ ${policy.pdAbsoluteIncreaseMm} mm) → PD${alsoPr ? ` although ${pct(chB)} vs baseline (PR range) – PD wins` : ` (${pct(chB)} vs baseline)`}`,
      values: vals,
      thresholds: pdThr,
      rule: alsoPr
        ? "response-criteria.md §1.2 edge case 2"
        : "response-criteria.md §1.2 edge case 1",
    });
    return out("PD");
  }
  if (sod - nadirSodMm >= policy.pdRelativeIncrease * nadirSodMm && sod > nadirSodMm) {
    reasons.push({
      code: "NOT_PD_ABSOLUTE_INCREASE_TOO_SMALL",
      message: `SoD ${pct(chN)} vs nadir ${nadirSodMm} mm but only +${num(sod - nadirSodMm)} mm (< ${policy.pdAbsoluteIncreaseMm} mm) → not PD`,
      values: vals,
      thresholds: pdThr,
      rule: "response-criteria.md §1.2 edge case 1",
    });
  }
  const nonNodalGone = values.filter((v) => !v.nodal).every((v) => v.valueMm === 0);
  const nodesNormal = values
    .filter((v) => v.nodal)
    .every((v) => (v.valueMm as number) < policy.normalNodeShortAxisMm);
  if (nonNodalGone && nodesNormal) {
    reasons.push({
      code: "CR_TARGETS",
      message:
        sod > 0
          ? `all non-nodal targets 0 mm and all nodal targets < ${policy.normalNodeShortAxisMm} mm SA → CR (SoD ${num(sod)} mm > 0 from normal-sized nodes)`
          : "all target lesions disappeared → CR",
      lesionIds: values.filter((v) => v.nodal).map((v) => v.lesionId),
      values: vals,
      thresholds: { normalNodeShortAxisMm: policy.normalNodeShortAxisMm },
      rule: sod > 0 ? "response-criteria.md §1.2 edge case 5" : "response-criteria.md §1.2",
    });
    return out("CR");
  }
  if (sod <= (1 - policy.prRelativeDecrease) * baselineSodMm + BOUNDARY_EPS) {
    reasons.push({
      code: "PR_SOD_DECREASE_VS_BASELINE",
      message: `SoD ${num(sod)} mm is ${pct(chB)} vs baseline ${baselineSodMm} mm (≤ −${policy.prRelativeDecrease * 100} %) → PR`,
      values: vals,
      thresholds: { prRelativeDecrease: policy.prRelativeDecrease },
      rule: "response-criteria.md §1.2 (PR vs baseline)",
    });
    return out("PR");
  }
  reasons.push({
    code: "SD",
    message: `SoD ${num(sod)} mm: ${pct(chB)} vs baseline, ${chN === null ? `+${num(sod)} mm` : pct(chN)} vs nadir ${nadirSodMm} mm → SD`,
    values: vals,
    thresholds: { ...pdThr, prRelativeDecrease: policy.prRelativeDecrease },
    rule: "response-criteria.md §1.2",
  });
  return out("SD");
}

/**
 * Decides whether new lesions mean PD: an unequivocal new lesion → PD; an FDG-PET-only new
 * lesion → PD if the baseline FDG-PET was negative, otherwise only when anatomically
 * confirmed; equivocal lesions do not trigger PD.
 *
 * Source: response-criteria.md §1.2 table and edge case 6 (RECIST 1.1 FDG-PET guidance).
 * @throws TypeError naming `newLesions[i].lesionId` if empty.
 */
export function recistNewLesionsPd(newLesions: readonly RecistNewLesion[]): {
  pd: boolean;
  reasons: ResponseReason[];
} {
  array("newLesions", newLesions);
  const reasons: ResponseReason[] = [];
  let pd = false;
  newLesions.forEach((l, i) => {
    nonEmptyString(`newLesions[${i}].lesionId`, l.lesionId);
    if (!l.unequivocal) {
      reasons.push({
        code: "NEW_LESION_EQUIVOCAL",
        message: `new lesion ${l.lesionId} is equivocal → not PD (re-assess at the next time point)`,
        lesionIds: [l.lesionId],
        rule: "response-criteria.md §1.2 (new lesion must be unequivocal)",
      });
      return;
    }
    if (l.modality === "FDG_PET") {
      if (l.baselineFdgPet === "negative") {
        pd = true;
        reasons.push({
          code: "NEW_LESION_FDG_BASELINE_NEGATIVE",
          message: `new FDG-PET lesion ${l.lesionId} with a negative baseline FDG-PET → PD`,
          lesionIds: [l.lesionId],
          rule: "response-criteria.md §1.2 edge case 6",
        });
      } else if (l.anatomicallyConfirmed) {
        pd = true;
        reasons.push({
          code: "NEW_LESION_FDG_ANATOMICALLY_CONFIRMED",
          message: `new FDG-PET lesion ${l.lesionId} without a negative baseline FDG-PET, confirmed anatomically → PD`,
          lesionIds: [l.lesionId],
          rule: "response-criteria.md §1.2 edge case 6",
        });
      } else {
        reasons.push({
          code: "NEW_LESION_FDG_UNCONFIRMED",
          message: `new FDG-PET lesion ${l.lesionId} without a negative baseline FDG-PET and not confirmed on CT/MRI → not PD yet`,
          lesionIds: [l.lesionId],
          rule: "response-criteria.md §1.2 edge case 6",
        });
      }
      return;
    }
    pd = true;
    reasons.push({
      code: "NEW_LESION",
      message: `unequivocal new lesion ${l.lesionId} (${l.modality}) → PD`,
      lesionIds: [l.lesionId],
      rule: "response-criteria.md §1.2 overall table",
    });
  });
  return { pd, reasons };
}

/**
 * Overall time-point response from target × non-target × new lesions (response-criteria.md
 * §1.2 table): PD if any of target PD, non-target PD (unequivocal), new lesion; target CR +
 * non-target CR (or none) → CR; target CR + non-CR/non-PD or not evaluated → PR; PR → PR;
 * SD → SD; target NE → NE. Without targets: non-target CR → CR, non-CR/non-PD → NON_CR_NON_PD.
 *
 * Source: response-criteria.md §1.2 (RECIST 1.1 Table 1/2).
 * @throws never (pure mapping)
 */
export function recistOverallResponse(
  target: RecistTargetResponse,
  nonTarget: RecistNonTargetResponse,
  newLesionPd: boolean,
): { category: RecistOverallResponse; reasons: ResponseReason[] } {
  const reasons: ResponseReason[] = [];
  const rule = "response-criteria.md §1.2 overall time-point table";
  if (target === "PD")
    reasons.push({ code: "OVERALL_PD_TARGET", message: "target lesions PD → overall PD", rule });
  if (nonTarget === "PD") {
    reasons.push({
      code: "OVERALL_PD_NON_TARGET",
      message: "unequivocal non-target progression → overall PD",
      rule,
    });
  }
  if (newLesionPd)
    reasons.push({ code: "OVERALL_PD_NEW_LESION", message: "new lesion(s) → overall PD", rule });
  if (reasons.length > 0) return { category: "PD", reasons };
  const r = (
    category: RecistOverallResponse,
    message: string,
  ): { category: RecistOverallResponse; reasons: ResponseReason[] } => ({
    category,
    reasons: [
      {
        code: `OVERALL_${category}`,
        message,
        values: { target, nonTarget, newLesion: false },
        rule,
      },
    ],
  });
  switch (target) {
    case "NONE":
      if (nonTarget === "CR") return r("CR", "no targets; non-target CR, no new lesions → CR");
      if (nonTarget === "NON_CR_NON_PD")
        return r("NON_CR_NON_PD", "no targets; non-target non-CR/non-PD → non-CR/non-PD");
      return r("NE", "no targets and non-target lesions not evaluated → NE");
    case "CR":
      if (nonTarget === "CR" || nonTarget === "NONE")
        return r("CR", "target CR, non-target CR (or none), no new lesions → CR");
      return r(
        "PR",
        `target CR with non-target ${nonTarget === "NE" ? "not evaluated" : "non-CR/non-PD"} → PR`,
      );
    case "PR":
      return r("PR", "target PR, non-target non-PD or not all evaluated, no new lesions → PR");
    case "SD":
      return r("SD", "target SD, non-target non-PD or not all evaluated, no new lesions → SD");
    default:
      return r("NE", "target lesions not all evaluated, non-target non-PD, no new lesions → NE");
  }
}

/** A RECIST study: targets, baseline and follow-up time points in chronological order. */
export interface RecistStudy {
  targets: readonly RecistTargetLesion[];
  baseline: RecistTimePoint;
  followUps: readonly RecistTimePoint[];
  /** CT/MRI slice thickness at baseline (mm), for the measurability check. */
  sliceThicknessMm?: number;
}

/** Evaluation of one follow-up time point. */
export interface RecistTimePointResult extends ResponseAssessment<RecistOverallResponse> {
  timePointId: string;
  date: string;
  target: RecistTargetAssessment;
  nonTarget: RecistNonTargetResponse;
  newLesionPd: boolean;
  /** Nadir used (min SoD over baseline and prior time points, NOT the current one). */
  nadirSodMm: number;
  baselineSodMm: number;
}

/** Result of {@link assessRecist}. */
export interface RecistStudyResult {
  baselineValidation: RecistBaselineValidation;
  timePoints: RecistTimePointResult[];
  bestOverallResponse: ResponseAssessment<RecistOverallResponse>;
}

/**
 * Full RECIST 1.1 evaluation of a study: validates the baseline, computes the SoD per time
 * point, the nadir (baseline and prior complete time points, not the current one), target,
 * non-target, new-lesion and overall responses, and the best overall response (edge cases
 * 7–8: best response before PD; CR/PR confirmation ≥ 28 days when `confirmationRequired`;
 * SD only if ≥ `sdMinDaysFromBaseline` after baseline).
 *
 * Source: response-criteria.md §1.1–1.2 (RECIST 1.1).
 * @throws RangeError if the baseline SoD cannot be computed (a target unmeasured at baseline),
 *   dates are not ISO-8601 or not chronological (names `followUps[i].date`), a follow-up
 *   measures a lesion that is not a baseline target, or on bad measurements (names the field).
 */
export function assessRecist(
  study: RecistStudy,
  policy: RecistPolicy = RECIST_1_1_DEFAULT_POLICY,
): RecistStudyResult {
  const validation = validateRecistBaseline(
    study.targets,
    study.baseline.targets,
    study.sliceThicknessMm,
    policy,
  );
  if (study.targets.length > 0 && validation.sumOfDiametersMm === null) {
    throw new RangeError(
      `baseline.targets must measure every target lesion, got missing: ${validation.issues
        .filter((i) => i.code === "BASELINE_NOT_MEASURED")
        .flatMap((i) => i.lesionIds ?? [])
        .join(", ")}`,
    );
  }
  const baseSod = validation.sumOfDiametersMm ?? 0;
  let prevMs = isoDateMs("baseline.date", study.baseline.date);
  const sods: number[] = [baseSod];
  const timePoints: RecistTimePointResult[] = study.followUps.map((tp, i) => {
    const ms = isoDateMs(`followUps[${i}].date`, tp.date);
    if (ms <= prevMs)
      throw new RangeError(
        `followUps[${i}].date must be after the previous time point, got ${tp.date}`,
      );
    prevMs = ms;
    tp.targets.forEach((m, j) => {
      if (!study.targets.some((t) => t.lesionId === m.lesionId)) {
        throw new RangeError(
          `followUps[${i}].targets[${j}].lesionId must be a baseline target, got "${m.lesionId}"`,
        );
      }
    });
    const values = study.targets.map((t) =>
      recistLesionValue(
        t,
        tp.targets.find((m) => m.lesionId === t.lesionId),
        policy,
      ),
    );
    const nadir = Math.min(...sods);
    const target = recistTargetResponse(baseSod, nadir, values, policy);
    if (target.sumOfDiametersMm !== null) sods.push(target.sumOfDiametersMm);
    const nl = recistNewLesionsPd(tp.newLesions);
    const nonTargetReasons: ResponseReason[] =
      tp.nonTarget === "PD"
        ? [
            {
              code: "NON_TARGET_UNEQUIVOCAL_PROGRESSION",
              message: `non-target unequivocal progression (reader): ${tp.nonTargetPdReason ?? "no reason recorded"}`,
              rule: "response-criteria.md §1.2 non-target categories",
            },
          ]
        : [];
    const overall = recistOverallResponse(target.category, tp.nonTarget, nl.pd);
    return {
      timePointId: tp.timePointId,
      date: tp.date,
      category: overall.category,
      reasons: [...target.reasons, ...nonTargetReasons, ...nl.reasons, ...overall.reasons],
      ruleSet: "RECIST 1.1",
      target,
      nonTarget: tp.nonTarget,
      newLesionPd: nl.pd,
      nadirSodMm: nadir,
      baselineSodMm: baseSod,
    };
  });
  return {
    baselineValidation: validation,
    timePoints,
    bestOverallResponse: recistBestOverallResponse(
      study.baseline.date,
      timePoints.map((t) => ({ date: t.date, category: t.category, timePointId: t.timePointId })),
      policy,
    ),
  };
}

const RANK: Record<RecistOverallResponse, number> = {
  CR: 5,
  PR: 4,
  SD: 3,
  NON_CR_NON_PD: 2,
  PD: 1,
  NE: 0,
};

/**
 * Best overall response: the best time-point response recorded before (and excluding) the
 * first PD; with `confirmationRequired`, CR needs a later CR and PR a later PR/CR at
 * ≥ `confirmationMinDays`; unconfirmed CR/PR and SD count as SD only when the time point is
 * ≥ `sdMinDaysFromBaseline` after baseline. If nothing qualifies: PD if PD occurred, else NE.
 *
 * Source: response-criteria.md §1.2 edge cases 7 and 8 (RECIST 1.1).
 * @param baselineDate ISO-8601
 * @param timePoints chronological follow-up responses
 * @throws RangeError naming `baselineDate` / `timePoints[i].date` when not ISO-8601.
 */
export function recistBestOverallResponse(
  baselineDate: string,
  timePoints: readonly { timePointId: string; date: string; category: RecistOverallResponse }[],
  policy: RecistPolicy = RECIST_1_1_DEFAULT_POLICY,
): ResponseAssessment<RecistOverallResponse> {
  const b = isoDateMs("baselineDate", baselineDate);
  const day = 86_400_000;
  const tps = timePoints.map((t, i) => ({ ...t, ms: isoDateMs(`timePoints[${i}].date`, t.date) }));
  const pdIdx = tps.findIndex((t) => t.category === "PD");
  const before = pdIdx >= 0 ? tps.slice(0, pdIdx) : tps;
  const reasons: ResponseReason[] = [];
  let best: RecistOverallResponse | null = null;
  let bestId: string | null = null;
  before.forEach((t, i) => {
    let cat: RecistOverallResponse = t.category;
    if (policy.confirmationRequired && (cat === "CR" || cat === "PR")) {
      const confirmer = before
        .slice(i + 1)
        .find(
          (u) =>
            u.ms - t.ms >= policy.confirmationMinDays * day &&
            (cat === "CR" ? u.category === "CR" : u.category === "CR" || u.category === "PR"),
        );
      const prConfirmsCr =
        cat === "CR" &&
        !confirmer &&
        before
          .slice(i + 1)
          .some((u) => u.ms - t.ms >= policy.confirmationMinDays * day && u.category === "PR");
      if (!confirmer) {
        const downgraded: RecistOverallResponse = prConfirmsCr ? "PR" : "SD";
        reasons.push({
          code: "UNCONFIRMED_RESPONSE",
          message: `${t.timePointId}: ${cat} not confirmed ≥ ${policy.confirmationMinDays} days later → counts as ${downgraded}${downgraded === "SD" ? " (if the SD interval is met)" : ""}`,
          thresholds: { confirmationMinDays: policy.confirmationMinDays },
          rule: "response-criteria.md §1.2 edge case 7",
        });
        cat = downgraded;
      }
    }
    if (
      (cat === "SD" || cat === "NON_CR_NON_PD") &&
      t.ms - b < policy.sdMinDaysFromBaseline * day
    ) {
      reasons.push({
        code: "SD_TOO_EARLY",
        message: `${t.timePointId}: ${cat} only ${Math.round((t.ms - b) / day)} days after baseline (< ${policy.sdMinDaysFromBaseline}) → does not qualify`,
        thresholds: { sdMinDaysFromBaseline: policy.sdMinDaysFromBaseline },
        rule: "response-criteria.md §1.2 edge case 7",
      });
      return;
    }
    if (cat === "NE") return;
    if (best === null || RANK[cat] > RANK[best]) {
      best = cat;
      bestId = t.timePointId;
    }
  });
  const finalCat: RecistOverallResponse = best ?? (pdIdx >= 0 ? "PD" : "NE");
  reasons.push({
    code: "BEST_OVERALL_RESPONSE",
    message:
      best !== null
        ? `best response before ${pdIdx >= 0 ? "PD" : "end of follow-up"}: ${finalCat} at ${String(bestId)}`
        : pdIdx >= 0
          ? `no qualifying response before PD at ${tps[pdIdx]?.timePointId ?? ""} → PD`
          : "no evaluable qualifying time point → NE",
    values: { confirmationRequired: policy.confirmationRequired },
    rule: "response-criteria.md §1.2 edge case 8",
  });
  return { category: finalCat, reasons, ruleSet: "RECIST 1.1" };
}
