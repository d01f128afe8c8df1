/**
 * PERCIST 1.0 (Wahl RL et al., J Nucl Med 2009;50 Suppl 1:122S–150S; O JH et al., "Practical
 * PERCIST", Radiology 2016;280:576–584) as specified in reference/response-criteria.md §4.
 * SUL = SUV normalised to lean body mass; SULpeak = max mean SUL in a 1 cm³ sphere.
 */
import { array, BOUNDARY_EPS, finite, nonNegative, pct } from "./guards";
import type { ResponseAssessment, ResponseReason } from "./types";

/** PERCIST categories; `NE` carries `neReason`. */
export type PercistCategory = "CMR" | "PMR" | "SMD" | "PMD" | "NE";

/** A reference region: mean and SD of SUL. */
export interface SulReference {
  sulMean: number;
  sulSd: number;
}

/** One lesion's SULpeak. */
export interface PercistLesion {
  lesionId: string;
  organ?: string;
  sulPeak: number;
}

/** One PET time point. */
export interface PercistTimePoint {
  /** Tracer; PERCIST is defined for FDG – SSTR use is off-label and flagged. */
  tracer?: "FDG" | "SSTR" | "OTHER";
  /** Injection-to-scan time (min). */
  uptakeTimeMin: number;
  scannerId?: string;
  reconstructionId?: string;
  /** 3 cm right-lobe liver sphere. */
  liver: SulReference;
  /** 1 cm × 2 cm descending-aorta cylinder (used when the liver is abnormal). */
  bloodPool?: SulReference;
  liverAbnormal?: boolean;
  lesions: readonly PercistLesion[];
  /** New FDG-avid lesions typical of cancer (reader). */
  newLesions: boolean;
  /** Total lesion glycolysis (SUL·mL), optional – for the ≥ 75 % TLG PMD rule. */
  tlg?: number;
  /** Reader: all lesions resolved to ≤ liver and indistinguishable from blood pool. If absent, computed (≤ liver SULmean). */
  allLesionsResolvedToBackground?: boolean;
  /** Reader: non-target lesion > 30 % SUL or size increase (blocks PMR). */
  nonTargetProgression?: boolean;
}

/** Named PERCIST thresholds and boundary policies. */
export interface PercistPolicy {
  /** threshold = liverMultiplier × liver SULmean + sdMultiplier × SD (1.5, Wahl 2009). */
  liverMultiplier: number;
  /** Blood-pool alternative: 2.0 × mean + 2 SD (Wahl 2009). */
  bloodPoolMultiplier: number;
  sdMultiplier: number;
  /** Relative SULpeak change for PMR/PMD (0.30). */
  relativeChange: number;
  /** Absolute SULpeak change (0.8 SUL units). */
  absoluteChangeSul: number;
  /**
   * Boundary at exactly ±30 %: "inclusive" (≥) or "exclusive" (>). Text: "≥ 30 %" for PMR and
   * "> 30 %" for PMD in most summaries; the pseudo-code uses inclusive for both – default
   * inclusive for both (response-criteria.md §4.3 "Boundary policy").
   */
  pmrBoundary: "inclusive" | "exclusive";
  pmdBoundary: "inclusive" | "exclusive";
  /** TLG increase for PMD (0.75). */
  tlgIncrease: number;
  /**
   * Nominal uptake window (min) – outside it a warning reason is added (not NE). Default
   * [50, 70] around the nominal ~60 min (response-criteria.md §4.1, "50–70 min unverified").
   */
  nominalUptakeWindowMin: readonly [number, number];
  /** Quality gate: max uptake-time difference (< 15 min). */
  maxUptakeTimeDifferenceMin: number;
  /** Quality gate: follow-up liver SULmean within 20 % … */
  liverMaxRelativeChange: number;
  /** … and < 0.3 SUL units of baseline (both required). */
  liverMaxAbsoluteChangeSul: number;
}

/** Default PERCIST 1.0 policy (response-criteria.md §4.1–4.3; Wahl 2009, PMC4377159). */
export const PERCIST_DEFAULT_POLICY: Readonly<PercistPolicy> = {
  liverMultiplier: 1.5,
  bloodPoolMultiplier: 2.0,
  sdMultiplier: 2,
  relativeChange: 0.3,
  absoluteChangeSul: 0.8,
  pmrBoundary: "inclusive",
  pmdBoundary: "inclusive",
  tlgIncrease: 0.75,
  nominalUptakeWindowMin: [50, 70],
  maxUptakeTimeDifferenceMin: 15,
  liverMaxRelativeChange: 0.2,
  liverMaxAbsoluteChangeSul: 0.3,
};

/**
 * PERCIST measurability threshold: `1.5 × liver SULmean + 2 × SD`, or, if the liver is
 * abnormal, `2.0 × blood-pool SULmean + 2 × SD`.
 *
 * Source: response-criteria.md §4.2 (Wahl 2009; PMOD PERCIST documentation). Worked example:
 * liver 1.8 / SD 0.25 → 3.2.
 * @throws TypeError / RangeError naming `liver.sulMean` etc.; RangeError if the liver is
 *   abnormal and no `bloodPool` is given.
 */
export function percistMeasurabilityThreshold(
  tp: Pick<PercistTimePoint, "liver" | "bloodPool" | "liverAbnormal">,
  policy: PercistPolicy = PERCIST_DEFAULT_POLICY,
): { thresholdSul: number; reference: "liver" | "bloodPool" } {
  if (tp.liverAbnormal) {
    if (!tp.bloodPool)
      throw new RangeError("bloodPool must be given when liverAbnormal is true, got undefined");
    nonNegative("bloodPool.sulMean", tp.bloodPool.sulMean);
    nonNegative("bloodPool.sulSd", tp.bloodPool.sulSd);
    return {
      thresholdSul:
        policy.bloodPoolMultiplier * tp.bloodPool.sulMean +
        policy.sdMultiplier * tp.bloodPool.sulSd,
      reference: "bloodPool",
    };
  }
  nonNegative("liver.sulMean", tp.liver.sulMean);
  nonNegative("liver.sulSd", tp.liver.sulSd);
  return {
    thresholdSul: policy.liverMultiplier * tp.liver.sulMean + policy.sdMultiplier * tp.liver.sulSd,
    reference: "liver",
  };
}

/**
 * PERCIST quality gates: same scanner/reconstruction (when recorded), uptake-time difference
 * < 15 min, follow-up liver SULmean within 20 % AND < 0.3 SUL of baseline. Uptake times
 * outside the nominal window add a warning reason without failing the gate.
 *
 * Source: response-criteria.md §4.1 (PMC4377159 summarising Wahl 2009).
 * @throws TypeError naming the field for non-finite numbers.
 */
export function percistQualityGate(
  baseline: PercistTimePoint,
  followUp: PercistTimePoint,
  policy: PercistPolicy = PERCIST_DEFAULT_POLICY,
): { ok: boolean; reasons: ResponseReason[] } {
  const reasons: ResponseReason[] = [];
  const rule = "response-criteria.md §4.1 quality gates";
  const dt = Math.abs(
    finite("followUp.uptakeTimeMin", followUp.uptakeTimeMin) -
      finite("baseline.uptakeTimeMin", baseline.uptakeTimeMin),
  );
  if (dt >= policy.maxUptakeTimeDifferenceMin) {
    reasons.push({
      code: "QUALITY_UPTAKE_TIME",
      message: `uptake times differ by ${dt} min (must be < ${policy.maxUptakeTimeDifferenceMin} min)`,
      values: {
        baselineUptakeTimeMin: baseline.uptakeTimeMin,
        followUpUptakeTimeMin: followUp.uptakeTimeMin,
      },
      thresholds: { maxUptakeTimeDifferenceMin: policy.maxUptakeTimeDifferenceMin },
      rule,
    });
  }
  const lb = nonNegative("baseline.liver.sulMean", baseline.liver.sulMean);
  const lf = nonNegative("followUp.liver.sulMean", followUp.liver.sulMean);
  const dl = Math.abs(lf - lb);
  if (dl > policy.liverMaxRelativeChange * lb || dl >= policy.liverMaxAbsoluteChangeSul) {
    reasons.push({
      code: "QUALITY_LIVER_REFERENCE_UNSTABLE",
      message: `liver SULmean ${lb} → ${lf} (${pct((lf - lb) / lb)}, Δ ${dl.toFixed(2)} SUL): must be within ${policy.liverMaxRelativeChange * 100} % and < ${policy.liverMaxAbsoluteChangeSul} SUL`,
      values: { baselineLiverSulMean: lb, followUpLiverSulMean: lf },
      thresholds: {
        liverMaxRelativeChange: policy.liverMaxRelativeChange,
        liverMaxAbsoluteChangeSul: policy.liverMaxAbsoluteChangeSul,
      },
      rule,
    });
  }
  for (const key of ["scannerId", "reconstructionId"] as const) {
    const a = baseline[key];
    const b = followUp[key];
    if (a !== undefined && b !== undefined && a !== b) {
      reasons.push({
        code: "QUALITY_DIFFERENT_SYSTEM",
        message: `${key} differs: ${a} vs ${b}`,
        values: { baseline: a, followUp: b },
        rule,
      });
    }
  }
  const ok = reasons.length === 0;
  const [lo, hi] = policy.nominalUptakeWindowMin;
  for (const [name, t] of [
    ["baseline", baseline.uptakeTimeMin],
    ["followUp", followUp.uptakeTimeMin],
  ] as const) {
    if (t < lo || t > hi) {
      reasons.push({
        code: "WARNING_UPTAKE_OUTSIDE_NOMINAL",
        message: `${name} uptake time ${t} min outside the nominal ${lo}–${hi} min window (warning only)`,
        values: { uptakeTimeMin: t },
        thresholds: { nominalMin: lo, nominalMax: hi },
        rule,
      });
    }
  }
  return { ok, reasons };
}

/** Result of {@link assessPercist}. */
export interface PercistAssessment extends ResponseAssessment<PercistCategory> {
  neReason: "quality" | "no-measurable-baseline-lesion" | null;
  baselineHottest: PercistLesion | null;
  followUpHottest: PercistLesion | null;
  /** F − B (SUL) and (F − B)/B. */
  absoluteChangeSul: number | null;
  relativeChange: number | null;
  thresholdSul: number;
}

function hottest(lesions: readonly PercistLesion[], where: string): PercistLesion | null {
  array(`${where}.lesions`, lesions);
  let best: PercistLesion | null = null;
  lesions.forEach((l, i) => {
    nonNegative(`${where}.lesions[${i}].sulPeak`, l.sulPeak);
    if (!best || l.sulPeak > best.sulPeak) best = l;
  });
  return best;
}

/**
 * PERCIST 1.0 response of a follow-up vs baseline (response-criteria.md §4.3 pseudo-code):
 * quality gates → NE (quality); hottest baseline lesion below threshold → PMD if new lesions,
 * else NE (no measurable baseline lesion); new lesions → PMD; all resolved → CMR; Δ ≥ +30 %
 * and ≥ +0.8 SUL → PMD; TLG ≥ +75 % without SUL decline (rel > −30 %) → PMD; Δ ≤ −30 % and
 * ≤ −0.8 SUL and no non-target progression → PMR; else SMD. The hottest lesion at follow-up
 * may be a different lesion. Boundaries per {@link PercistPolicy}.
 *
 * Source: response-criteria.md §4 (Wahl 2009; O 2016; PMC4377159; Biomark Res 2021).
 * @throws TypeError / RangeError naming the field (e.g. `followUp.lesions[0].sulPeak must be ≥ 0, got -1`).
 */
export function assessPercist(
  baseline: PercistTimePoint,
  followUp: PercistTimePoint,
  policy: PercistPolicy = PERCIST_DEFAULT_POLICY,
): PercistAssessment {
  const ruleSet = "PERCIST 1.0";
  const reasons: ResponseReason[] = [];
  if ((baseline.tracer ?? "FDG") !== "FDG" || (followUp.tracer ?? "FDG") !== "FDG") {
    reasons.push({
      code: "OFF_LABEL_TRACER",
      message:
        "PERCIST is defined for 18F-FDG; applying it to another tracer (e.g. SSTR PET) is off-label",
      rule: "response-criteria.md §4",
    });
  }
  const { thresholdSul, reference } = percistMeasurabilityThreshold(baseline, policy);
  const B = hottest(baseline.lesions, "baseline");
  const Fh = hottest(followUp.lesions, "followUp");
  const base = { thresholdSul, baselineHottest: B, followUpHottest: Fh };
  const q = percistQualityGate(baseline, followUp, policy);
  reasons.push(...q.reasons.filter((r) => r.code.startsWith("WARNING_")));
  if (!q.ok) {
    return {
      category: "NE",
      neReason: "quality",
      reasons: [...q.reasons.filter((r) => !r.code.startsWith("WARNING_")), ...reasons],
      ruleSet,
      ...base,
      absoluteChangeSul: null,
      relativeChange: null,
    };
  }
  const thr = { thresholdSul, reference };
  if (!B || B.sulPeak < thresholdSul) {
    reasons.push({
      code: "NO_MEASURABLE_BASELINE_LESION",
      message: `hottest baseline SULpeak ${B ? `${B.sulPeak} (${B.lesionId})` : "– (no lesions)"} < threshold ${thresholdSul.toFixed(2)} (${reference})`,
      lesionIds: B ? [B.lesionId] : [],
      values: { baselineSulPeak: B?.sulPeak ?? null },
      thresholds: thr,
      rule: "response-criteria.md §4.2 measurability",
    });
    if (followUp.newLesions) {
      reasons.push({
        code: "NEW_LESIONS",
        message: "new FDG-avid lesions → PMD",
        rule: "response-criteria.md §4.3",
      });
      return {
        category: "PMD",
        neReason: null,
        reasons,
        ruleSet,
        ...base,
        absoluteChangeSul: null,
        relativeChange: null,
      };
    }
    return {
      category: "NE",
      neReason: "no-measurable-baseline-lesion",
      reasons,
      ruleSet,
      ...base,
      absoluteChangeSul: null,
      relativeChange: null,
    };
  }
  const F = Fh ? Fh.sulPeak : 0;
  const d = F - B.sulPeak;
  const rel = d / B.sulPeak;
  const vals = {
    baselineSulPeak: B.sulPeak,
    baselineLesion: B.lesionId,
    followUpSulPeak: F,
    followUpLesion: Fh?.lesionId ?? null,
    absoluteChangeSul: d,
    relativeChange: rel,
  };
  const out = (category: PercistCategory): PercistAssessment => ({
    category,
    neReason: null,
    reasons,
    ruleSet,
    ...base,
    absoluteChangeSul: d,
    relativeChange: rel,
  });
  const ids = [B.lesionId, ...(Fh && Fh.lesionId !== B.lesionId ? [Fh.lesionId] : [])];
  if (followUp.newLesions) {
    reasons.push({
      code: "NEW_LESIONS",
      message: "new FDG-avid lesions typical of cancer → PMD",
      values: vals,
      rule: "response-criteria.md §4.3",
    });
    return out("PMD");
  }
  const resolvedComputed = followUp.lesions.every((l) => l.sulPeak <= followUp.liver.sulMean);
  const resolved = followUp.allLesionsResolvedToBackground ?? resolvedComputed;
  if (resolved) {
    reasons.push({
      code: "CMR",
      message:
        followUp.allLesionsResolvedToBackground !== undefined
          ? "reader: all lesions resolved to ≤ liver and indistinguishable from blood pool → CMR"
          : `all follow-up SULpeaks ≤ liver SULmean ${followUp.liver.sulMean} (computed; reader should confirm blood-pool indistinguishability) → CMR`,
      values: vals,
      thresholds: { liverSulMean: followUp.liver.sulMean },
      rule: "response-criteria.md §4.3 CMR",
    });
    return out("CMR");
  }
  const ge = (x: number, t: number, b: "inclusive" | "exclusive"): boolean =>
    b === "inclusive" ? x >= t - BOUNDARY_EPS : x > t + BOUNDARY_EPS;
  const thrs = {
    relativeChange: policy.relativeChange,
    absoluteChangeSul: policy.absoluteChangeSul,
    pmdBoundary: policy.pmdBoundary,
    pmrBoundary: policy.pmrBoundary,
  };
  const hotMsg = `hottest lesion SULpeak ${B.sulPeak} (${B.lesionId}) → ${F} (${Fh?.lesionId ?? "none"}): ${pct(rel)}, ${d >= 0 ? "+" : ""}${d.toFixed(2)} SUL`;
  if (
    ge(rel, policy.relativeChange, policy.pmdBoundary) &&
    d >= policy.absoluteChangeSul - BOUNDARY_EPS
  ) {
    reasons.push({
      code: "PMD_SUL_INCREASE",
      message: `${hotMsg} → PMD`,
      lesionIds: ids,
      values: vals,
      thresholds: thrs,
      rule: "response-criteria.md §4.3 PMD (boundary policy)",
    });
    return out("PMD");
  }
  if (baseline.tlg !== undefined && followUp.tlg !== undefined) {
    const tb = nonNegative("baseline.tlg", baseline.tlg);
    const tf = nonNegative("followUp.tlg", followUp.tlg);
    const tch = tb > 0 ? (tf - tb) / tb : Infinity;
    if (tch >= policy.tlgIncrease - BOUNDARY_EPS && rel > -policy.relativeChange + BOUNDARY_EPS) {
      reasons.push({
        code: "PMD_TLG_INCREASE",
        message: `TLG ${tb} → ${tf} (${pct(tch)} ≥ +${policy.tlgIncrease * 100} %) without SUL decline → PMD`,
        values: { ...vals, baselineTlg: tb, followUpTlg: tf },
        thresholds: { tlgIncrease: policy.tlgIncrease },
        rule: "response-criteria.md §4.3 PMD (TLG)",
      });
      return out("PMD");
    }
  }
  if (
    ge(-rel, policy.relativeChange, policy.pmrBoundary) &&
    -d >= policy.absoluteChangeSul - BOUNDARY_EPS
  ) {
    if (followUp.nonTargetProgression) {
      reasons.push({
        code: "PMR_BLOCKED_NON_TARGET_PROGRESSION",
        message: `${hotMsg} meets PMR, but non-target progression (> 30 % SUL or size) → SMD`,
        lesionIds: ids,
        values: vals,
        thresholds: thrs,
        rule: "response-criteria.md §4.3 PMR",
      });
      return out("SMD");
    }
    reasons.push({
      code: "PMR",
      message: `${hotMsg} → PMR`,
      lesionIds: ids,
      values: vals,
      thresholds: thrs,
      rule: "response-criteria.md §4.3 PMR",
    });
    return out("PMR");
  }
  reasons.push({
    code: "SMD",
    message: `${hotMsg}: not ${Math.abs(rel) >= policy.relativeChange ? `≥ ${policy.absoluteChangeSul} SUL` : `≥ ${policy.relativeChange * 100} %`} → SMD`,
    lesionIds: ids,
    values: vals,
    thresholds: thrs,
    rule: "response-criteria.md §4.3",
  });
  return out("SMD");
}

/**
 * Secondary PERCIST analysis: sum of SULpeak of up to `maxLesions` hottest lesions with at most
 * `maxPerOrgan` per organ (5 and 2; lesions without organ count as their own organ).
 *
 * Source: response-criteria.md §4.3 ("sum of SULpeak of up to 5 hottest lesions (≤ 2 per organ)").
 * @throws RangeError / TypeError naming `lesions[i].sulPeak`.
 */
export function percistSumOfHottest(
  lesions: readonly PercistLesion[],
  maxLesions = 5,
  maxPerOrgan = 2,
): { sumSulPeak: number; lesionIds: string[] } {
  hottest(lesions, "input");
  const sorted = [...lesions].sort((a, b) => b.sulPeak - a.sulPeak);
  const perOrgan = new Map<string, number>();
  const chosen: PercistLesion[] = [];
  for (const l of sorted) {
    if (chosen.length >= maxLesions) break;
    const organ = l.organ ?? `#${l.lesionId}`;
    const n = perOrgan.get(organ) ?? 0;
    if (n >= maxPerOrgan) continue;
    perOrgan.set(organ, n + 1);
    chosen.push(l);
  }
  return {
    sumSulPeak: chosen.reduce((s, l) => s + l.sulPeak, 0),
    lesionIds: chosen.map((l) => l.lesionId),
  };
}
