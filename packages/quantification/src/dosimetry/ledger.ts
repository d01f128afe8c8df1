/**
 * Cumulative per-organ dose ledger across cycles and courses, limits as named policies,
 * remaining budget, maximum next-cycle activity and what-if projections
 * (reference/dosimetry.md §6.1, §8, Example D7).
 * Units: activity GBq, dose Gy, half-lives h.
 */
import { bedGy, doseForBedGy, KIDNEY_LQ, type LqParameters } from "./bed";
import { requireFinite, requireNonNegative, requirePositive } from "./guards";

/** One organ's absorbed dose from one therapy cycle. */
export interface CycleOrganDose {
  /** Treatment course identifier (initial course, salvage course …). */
  courseId: string;
  /** Cycle number within the course, integer ≥ 1. */
  cycleNumber: number;
  /** Net administered activity of the cycle (GBq), > 0. */
  administeredActivityGBq: number;
  /** Organ key, e.g. "kidneys", "redMarrow". */
  organ: string;
  /** Mean absorbed dose of this cycle (Gy), ≥ 0. */
  absorbedDoseGy: number;
  /** 1-SD uncertainty of the cycle dose (Gy), optional; summed in quadrature (independent cycles). */
  absorbedDoseSdGy?: number;
  /** Effective half-life in the organ (h) – required when the organ has a BED limit. */
  effectiveHalfLifeH?: number;
  /** Free-text method ("MIRD 3-point SPECT", "Hänscheid 96 h" …). */
  method?: string;
}

/** A limit for one organ; at least one of `absorbedGy` / `bedGy`. */
export interface OrganLimit {
  organ: string;
  /** Cumulative absorbed-dose limit (Gy). */
  absorbedGy?: number;
  /** Cumulative BED limit (Gy). */
  bedGy?: number;
  /** LQ parameters for BED (default {@link KIDNEY_LQ}). */
  lq?: LqParameters;
  /** Citation shown with the limit. */
  source: string;
}

/** A named set of organ limits. */
export interface DoseLimitPolicy {
  name: string;
  limits: readonly OrganLimit[];
}

const KIDNEY_23_SOURCE =
  "23 Gy absorbed: Emami 1991 EBRT TD5/5, restated by Konijnenberg 2003 (Cancer Biother Radiopharm 18:619) – dosimetry.md §6.1";
const MARROW_2_SOURCE =
  "2 Gy red marrow (adopted from 131I therapy); Bergsma et al. (Erasmus MC) question its validity for 177Lu-DOTATATE – dosimetry.md §6.1";

/**
 * Default limits for patients WITH renal risk factors (hypertension, diabetes): kidneys 23 Gy
 * absorbed and 28 Gy BED (α/β 2.6 Gy, T_rep 2.8 h), red marrow 2 Gy.
 * Sources: dosimetry.md §6.1 – Emami 1991 / Konijnenberg 2003 (23 Gy), Bodei L et al.,
 * EJNMMI 2008;35:1847 (BED 28 Gy with risk factors), Bergsma et al. (2 Gy marrow, caveat).
 */
export const LIMITS_WITH_RENAL_RISK_FACTORS: DoseLimitPolicy = {
  name: "kidney-23Gy-BED28Gy-marrow-2Gy",
  limits: [
    {
      organ: "kidneys",
      absorbedGy: 23,
      bedGy: 28,
      lq: KIDNEY_LQ,
      source: `${KIDNEY_23_SOURCE}; 28 Gy BED with risk factors: Bodei 2008, EJNMMI 35:1847, doi:10.1007/s00259-008-0778-1`,
    },
    { organ: "redMarrow", absorbedGy: 2, source: MARROW_2_SOURCE },
  ],
};

/** Same as {@link LIMITS_WITH_RENAL_RISK_FACTORS} but kidney BED 40 Gy (no risk factors; Bodei 2008). */
export const LIMITS_WITHOUT_RENAL_RISK_FACTORS: DoseLimitPolicy = {
  name: "kidney-23Gy-BED40Gy-marrow-2Gy",
  limits: [
    {
      organ: "kidneys",
      absorbedGy: 23,
      bedGy: 40,
      lq: KIDNEY_LQ,
      source: `${KIDNEY_23_SOURCE}; 40 Gy BED without risk factors: Bodei 2008, EJNMMI 35:1847`,
    },
    { organ: "redMarrow", absorbedGy: 2, source: MARROW_2_SOURCE },
  ],
};

/** Uppsala alternative: kidneys 27 Gy absorbed (Garske U et al., World J Surg 2010;34:1368), marrow 2 Gy. */
export const LIMITS_UPPSALA_27GY: DoseLimitPolicy = {
  name: "kidney-27Gy-marrow-2Gy",
  limits: [
    {
      organ: "kidneys",
      absorbedGy: 27,
      source: "27 Gy: Garske U et al., World J Surg 2010;34:1368 – dosimetry.md §6.1",
    },
    { organ: "redMarrow", absorbedGy: 2, source: MARROW_2_SOURCE },
  ],
};

/** Budget state of one constraint. */
export interface ConstraintStatus {
  limitGy: number;
  usedGy: number;
  remainingGy: number;
  fractionUsed: number;
  exceeded: boolean;
}

/** Ledger line for one organ. */
export interface OrganLedger {
  organ: string;
  cycles: number;
  cumulativeAbsorbedGy: number;
  /** Quadrature sum of cycle SDs (Gy); NaN if any cycle lacks an SD. */
  cumulativeAbsorbedSdGy: number;
  /** Σ per-cycle BED (Gy) – only for organs with a BED limit, else null. */
  cumulativeBedGy: number | null;
  perCourse: { courseId: string; cycles: number; absorbedGy: number; bedGy: number | null }[];
  /** Dose per activity of the latest cycle (Gy/GBq). */
  latestGyPerGBq: number;
  /** T_eff of the latest cycle (h), if recorded. */
  latestEffectiveHalfLifeH: number | null;
  absorbed: ConstraintStatus | null;
  bed: ConstraintStatus | null;
  limitSource: string | null;
}

/** Result of {@link buildDoseLedger}. */
export interface DoseLedger {
  policy: string;
  /** Σ administered activity over distinct (course, cycle) (GBq). */
  totalActivityGBq: number;
  organs: OrganLedger[];
}

function status(limit: number, used: number): ConstraintStatus {
  return {
    limitGy: limit,
    usedGy: used,
    remainingGy: limit - used,
    fractionUsed: used / limit,
    exceeded: used > limit,
  };
}

function validatePolicy(policy: DoseLimitPolicy): void {
  policy.limits.forEach((l, i) => {
    if (l.absorbedGy === undefined && l.bedGy === undefined) {
      throw new RangeError(`policy.limits[${i}] (${l.organ}) must set absorbedGy or bedGy`);
    }
    if (l.absorbedGy !== undefined) requirePositive(`policy.limits[${i}].absorbedGy`, l.absorbedGy);
    if (l.bedGy !== undefined) requirePositive(`policy.limits[${i}].bedGy`, l.bedGy);
  });
}

function sortedEntries(
  entries: readonly CycleOrganDose[],
  limits: readonly OrganLimit[],
): CycleOrganDose[] {
  const courseOrder = new Map<string, number>();
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    if (typeof e.courseId !== "string" || e.courseId === "") {
      throw new TypeError(
        `entries[${i}].courseId must be a non-empty string, got ${String(e.courseId)}`,
      );
    }
    if (!Number.isInteger(e.cycleNumber) || e.cycleNumber < 1) {
      throw new RangeError(
        `entries[${i}].cycleNumber must be an integer ≥ 1, got ${e.cycleNumber}`,
      );
    }
    requirePositive(`entries[${i}].administeredActivityGBq`, e.administeredActivityGBq);
    requireNonNegative(`entries[${i}].absorbedDoseGy`, e.absorbedDoseGy);
    if (e.absorbedDoseSdGy !== undefined)
      requireNonNegative(`entries[${i}].absorbedDoseSdGy`, e.absorbedDoseSdGy);
    if (e.effectiveHalfLifeH !== undefined)
      requirePositive(`entries[${i}].effectiveHalfLifeH`, e.effectiveHalfLifeH);
    const lim = limits.find((l) => l.organ === e.organ);
    if (lim?.bedGy !== undefined && e.effectiveHalfLifeH === undefined) {
      throw new RangeError(
        `entries[${i}].effectiveHalfLifeH is required for organ "${e.organ}" (BED limit), got undefined`,
      );
    }
    const key = `${e.courseId}\u0000${e.cycleNumber}\u0000${e.organ}`;
    if (seen.has(key)) {
      throw new RangeError(
        `entries[${i}] duplicates course "${e.courseId}" cycle ${e.cycleNumber} organ "${e.organ}"`,
      );
    }
    seen.add(key);
    if (!courseOrder.has(e.courseId)) courseOrder.set(e.courseId, courseOrder.size);
  });
  return [...entries].sort(
    (a, b) =>
      (courseOrder.get(a.courseId) as number) - (courseOrder.get(b.courseId) as number) ||
      a.cycleNumber - b.cycleNumber,
  );
}

/**
 * Cumulative per-organ ledger across cycles and courses:
 * `D_cum = Σ Dᵢ`, `BED_cum = Σ Dᵢ·[1 + (Dᵢ/(α/β))·Gᵢ]` (full repair between cycles),
 * remaining = limit − used, σ_cum = √Σσᵢ² (independent cycles, first-order).
 * Courses are ordered by first appearance in `entries`, cycles by number.
 *
 * Source: reference/dosimetry.md §6, §6.1 (limits), §8 (`planNext`), Example D7.
 * @param entries per-cycle organ doses (any organ; organs without a limit are still summed)
 * @param policy named limits (default {@link LIMITS_WITH_RENAL_RISK_FACTORS})
 * @throws TypeError / RangeError naming `entries[i].<field>` (activity ≤ 0, negative dose,
 *   non-integer cycle, duplicate course/cycle/organ, missing T_eff for a BED-limited organ).
 */
export function buildDoseLedger(
  entries: readonly CycleOrganDose[],
  policy: DoseLimitPolicy = LIMITS_WITH_RENAL_RISK_FACTORS,
): DoseLedger {
  if (!Array.isArray(entries))
    throw new TypeError(`entries must be an array, got ${typeof entries}`);
  validatePolicy(policy);
  const sorted = sortedEntries(entries, policy.limits);
  const cycleActivity = new Map<string, number>();
  sorted.forEach((e, i) => {
    const key = `${e.courseId}\u0000${e.cycleNumber}`;
    const prev = cycleActivity.get(key);
    if (prev !== undefined && Math.abs(prev - e.administeredActivityGBq) > 1e-9 * prev) {
      throw new RangeError(
        `entries[${i}].administeredActivityGBq = ${e.administeredActivityGBq} differs from ${prev} recorded for course "${e.courseId}" cycle ${e.cycleNumber}`,
      );
    }
    cycleActivity.set(key, e.administeredActivityGBq);
  });
  const organNames = [
    ...new Set([...policy.limits.map((l) => l.organ), ...sorted.map((e) => e.organ)]),
  ];
  const organs: OrganLedger[] = organNames.map((organ) => {
    const list = sorted.filter((e) => e.organ === organ);
    const lim = policy.limits.find((l) => l.organ === organ);
    const lq = lim?.lq ?? KIDNEY_LQ;
    const withBed = lim?.bedGy !== undefined;
    const bedOf = (e: CycleOrganDose): number =>
      bedGy(e.absorbedDoseGy, e.effectiveHalfLifeH as number, lq);
    const absorbed = list.reduce((s, e) => s + e.absorbedDoseGy, 0);
    const bed = withBed ? list.reduce((s, e) => s + bedOf(e), 0) : null;
    const sd = Math.sqrt(list.reduce((s, e) => s + (e.absorbedDoseSdGy ?? Number.NaN) ** 2, 0));
    const courses = [...new Set(list.map((e) => e.courseId))];
    const last = list[list.length - 1];
    return {
      organ,
      cycles: list.length,
      cumulativeAbsorbedGy: absorbed,
      cumulativeAbsorbedSdGy: list.length === 0 ? 0 : sd,
      cumulativeBedGy: bed,
      perCourse: courses.map((c) => {
        const cl = list.filter((e) => e.courseId === c);
        return {
          courseId: c,
          cycles: cl.length,
          absorbedGy: cl.reduce((s, e) => s + e.absorbedDoseGy, 0),
          bedGy: withBed ? cl.reduce((s, e) => s + bedOf(e), 0) : null,
        };
      }),
      latestGyPerGBq: last ? last.absorbedDoseGy / last.administeredActivityGBq : Number.NaN,
      latestEffectiveHalfLifeH: last?.effectiveHalfLifeH ?? null,
      absorbed: lim?.absorbedGy !== undefined ? status(lim.absorbedGy, absorbed) : null,
      bed: lim?.bedGy !== undefined && bed !== null ? status(lim.bedGy, bed) : null,
      limitSource: lim?.source ?? null,
    };
  });
  return {
    policy: policy.name,
    totalActivityGBq: [...cycleActivity.values()].reduce((s, a) => s + a, 0),
    organs,
  };
}

/** Per-organ dose-response assumptions for planning. */
export interface PlanningOptions {
  /** Gy/GBq per organ; default: the organ's latest cycle (dosimetry.md §8 "use the patient's own Gy/GBq"). */
  gyPerGBq?: Readonly<Record<string, number>>;
  /** T_eff per organ (h) for the next cycle's BED; default: the organ's latest cycle. */
  effectiveHalfLifeH?: Readonly<Record<string, number>>;
  /** Upper cap on the next cycle's activity (GBq), e.g. the standard 7.4 GBq; default none. */
  capGBq?: number;
}

/** Per-organ result of {@link maxNextCycleActivity}. */
export interface OrganActivityBound {
  organ: string;
  gyPerGBq: number;
  /** Max next-cycle dose allowed by the absorbed limit (Gy), Infinity if none. */
  absorbedAllowedGy: number;
  /** Max next-cycle dose allowed by the BED limit (Gy), Infinity if none. */
  bedAllowedGy: number;
  /** Max activity for this organ (GBq). */
  maxActivityGBq: number;
  binding: "absorbed" | "bed" | "none";
}

/** Result of {@link maxNextCycleActivity}. */
export interface NextCycleActivity {
  /** Largest activity (GBq) keeping every limited organ within its limits (and ≤ cap). */
  maxActivityGBq: number;
  /** Organ and constraint that bind ("cap" when the cap binds). */
  binding:
    { organ: string; constraint: "absorbed" | "bed" } | { organ: null; constraint: "cap" | "none" };
  perOrgan: OrganActivityBound[];
  /** Limited organs skipped because neither history nor a prior Gy/GBq was available. */
  warnings: string[];
  message: string;
}

/**
 * Maximum next-cycle activity keeping every limited organ under its limits:
 * per organ `D_abs = L_abs − ΣDᵢ`, `D_bed = (−1 + √(1 + 4q·(L_bed − ΣBEDᵢ)))/(2q)`,
 * `q = G/(α/β)`, `G = T_rep/(T_rep + T_eff)`; `A_max = min_organs(min(D_abs, D_bed)/(Gy/GBq))`,
 * floored at 0 and capped at `capGBq`.
 *
 * Source: reference/dosimetry.md §8 (`planNext`), Example D7.
 * @param entries dose history (see {@link buildDoseLedger})
 * @param policy limits (default {@link LIMITS_WITH_RENAL_RISK_FACTORS})
 * @param options Gy/GBq and T_eff per organ (default latest cycle), cap
 * @throws RangeError naming the parameter for invalid history, a Gy/GBq ≤ 0, T_eff ≤ 0, cap ≤ 0,
 *   or a BED-limited organ without any T_eff.
 */
export function maxNextCycleActivity(
  entries: readonly CycleOrganDose[],
  policy: DoseLimitPolicy = LIMITS_WITH_RENAL_RISK_FACTORS,
  options: PlanningOptions = {},
): NextCycleActivity {
  const ledger = buildDoseLedger(entries, policy);
  if (options.capGBq !== undefined) requirePositive("options.capGBq", options.capGBq);
  const warnings: string[] = [];
  const perOrgan: OrganActivityBound[] = [];
  for (const lim of policy.limits) {
    const led = ledger.organs.find((o) => o.organ === lim.organ) as OrganLedger;
    const prior = options.gyPerGBq?.[lim.organ];
    if (prior !== undefined) requirePositive(`options.gyPerGBq.${lim.organ}`, prior);
    const gy = prior ?? led.latestGyPerGBq;
    if (!(gy > 0)) {
      warnings.push(
        `${lim.organ}: no dose history and no prior Gy/GBq – limit (${lim.absorbedGy ?? "-"} Gy / BED ${lim.bedGy ?? "-"} Gy) not applied`,
      );
      continue;
    }
    const absAllowed =
      lim.absorbedGy !== undefined
        ? Math.max(0, lim.absorbedGy - led.cumulativeAbsorbedGy)
        : Infinity;
    let bedAllowed = Infinity;
    if (lim.bedGy !== undefined) {
      const tOpt = options.effectiveHalfLifeH?.[lim.organ];
      if (tOpt !== undefined) requirePositive(`options.effectiveHalfLifeH.${lim.organ}`, tOpt);
      const teff = tOpt ?? led.latestEffectiveHalfLifeH;
      if (teff === null) {
        throw new RangeError(
          `options.effectiveHalfLifeH.${lim.organ} is required (BED limit, no history), got undefined`,
        );
      }
      bedAllowed = doseForBedGy(lim.bedGy - (led.cumulativeBedGy ?? 0), teff, lim.lq ?? KIDNEY_LQ);
    }
    const allowed = Math.min(absAllowed, bedAllowed);
    perOrgan.push({
      organ: lim.organ,
      gyPerGBq: gy,
      absorbedAllowedGy: absAllowed,
      bedAllowedGy: bedAllowed,
      maxActivityGBq: allowed / gy,
      binding: allowed === Infinity ? "none" : absAllowed <= bedAllowed ? "absorbed" : "bed",
    });
  }
  let best = Infinity;
  let binding: NextCycleActivity["binding"] = { organ: null, constraint: "none" };
  for (const o of perOrgan) {
    if (o.maxActivityGBq < best) {
      best = o.maxActivityGBq;
      binding =
        o.binding === "none"
          ? { organ: null, constraint: "none" }
          : { organ: o.organ, constraint: o.binding };
    }
  }
  if (options.capGBq !== undefined && options.capGBq <= best) {
    best = options.capGBq;
    binding = { organ: null, constraint: "cap" };
  }
  const message =
    binding.constraint === "cap"
      ? `next cycle up to the cap ${best.toFixed(2)} GBq (no organ limit binds)`
      : binding.organ === null
        ? "no limited organ constrains the next cycle"
        : `next cycle ≤ ${best.toFixed(2)} GBq (binding: ${binding.organ} ${binding.constraint === "bed" ? "BED" : "absorbed dose"} limit)`;
  return { maxActivityGBq: best, binding, perOrgan, warnings, message };
}

/** Projection of one organ in {@link whatIfNextCycle}. */
export interface WhatIfOrgan {
  organ: string;
  addedDoseGy: number;
  projectedAbsorbedGy: number;
  projectedBedGy: number | null;
  absorbedLimitGy: number | null;
  bedLimitGy: number | null;
  exceeds: boolean;
  message: string;
}

/**
 * What-if projection: give `activityGBq` next cycle → per limited organ
 * `D_new = ΣDᵢ + (Gy/GBq)·A`, `BED_new = ΣBEDᵢ + BED((Gy/GBq)·A, T_eff)` against the limits,
 * e.g. Example D7: "7.4 GBq next cycle → kidneys absorbed 15.55 of 23 Gy (67.6 %), BED 16.78 of 28 Gy (59.9 %)".
 *
 * Source: reference/dosimetry.md §8, Example D7.
 * @param entries dose history
 * @param activityGBq proposed activity (GBq), > 0
 * @param policy limits
 * @param options Gy/GBq and T_eff overrides (default latest cycle)
 * @throws RangeError naming the parameter (activity ≤ 0, organ without Gy/GBq, missing T_eff).
 */
export function whatIfNextCycle(
  entries: readonly CycleOrganDose[],
  activityGBq: number,
  policy: DoseLimitPolicy = LIMITS_WITH_RENAL_RISK_FACTORS,
  options: Omit<PlanningOptions, "capGBq"> = {},
): WhatIfOrgan[] {
  requirePositive("activityGBq", activityGBq);
  const ledger = buildDoseLedger(entries, policy);
  return policy.limits.map((lim) => {
    const led = ledger.organs.find((o) => o.organ === lim.organ) as OrganLedger;
    const gy = options.gyPerGBq?.[lim.organ] ?? led.latestGyPerGBq;
    if (!(gy > 0)) {
      throw new RangeError(
        `options.gyPerGBq.${lim.organ} is required (no dose history), got ${String(gy)}`,
      );
    }
    requireFinite(`options.gyPerGBq.${lim.organ}`, gy);
    const added = gy * activityGBq;
    const absorbed = led.cumulativeAbsorbedGy + added;
    let bed: number | null = null;
    if (lim.bedGy !== undefined) {
      const teff = options.effectiveHalfLifeH?.[lim.organ] ?? led.latestEffectiveHalfLifeH;
      if (teff === null) {
        throw new RangeError(
          `options.effectiveHalfLifeH.${lim.organ} is required (BED limit, no history), got undefined`,
        );
      }
      bed = (led.cumulativeBedGy ?? 0) + bedGy(added, teff, lim.lq ?? KIDNEY_LQ);
    }
    const parts: string[] = [];
    if (lim.absorbedGy !== undefined) {
      parts.push(
        `absorbed ${absorbed.toFixed(2)} of ${lim.absorbedGy} Gy (${((absorbed / lim.absorbedGy) * 100).toFixed(1)} %)`,
      );
    }
    if (bed !== null && lim.bedGy !== undefined) {
      parts.push(
        `BED ${bed.toFixed(2)} of ${lim.bedGy} Gy (${((bed / lim.bedGy) * 100).toFixed(1)} %)`,
      );
    }
    const exceeds =
      (lim.absorbedGy !== undefined && absorbed > lim.absorbedGy) ||
      (bed !== null && lim.bedGy !== undefined && bed > lim.bedGy);
    return {
      organ: lim.organ,
      addedDoseGy: added,
      projectedAbsorbedGy: absorbed,
      projectedBedGy: bed,
      absorbedLimitGy: lim.absorbedGy ?? null,
      bedLimitGy: lim.bedGy ?? null,
      exceeds,
      message: `${activityGBq} GBq next cycle → ${lim.organ} ${parts.join(", ")}${exceeds ? " – EXCEEDS LIMIT" : ""}`,
    };
  });
}

/** Options of {@link planRemainingCycles}. */
export interface RemainingCyclesOptions extends Omit<PlanningOptions, "capGBq"> {
  /** Standard activity per cycle (GBq), default 7.4 (Lutathera label; prrt-protocols.md). */
  standardActivityGBq?: number;
  /**
   * Smallest activity worth giving (GBq); a remainder below it ends the course instead of a
   * token cycle. Default 3.7 GBq – the example in dosimetry.md §8 ("policy decision for the
   * tumour board").
   */
  minMeaningfulActivityGBq?: number;
  /** Safety stop (default 20 cycles). */
  maxCycles?: number;
}

/**
 * Simulates the remaining cycles: repeatedly gives min(standard, {@link maxNextCycleActivity})
 * with the same Gy/GBq and T_eff, until the allowed activity drops below
 * `minMeaningfulActivityGBq`. Returns planned activities and the final ledger state.
 *
 * Source: reference/dosimetry.md §8 notes and Example D7 (2 full cycles + 6.93 GBq).
 * @throws RangeError naming the option (standard ≤ 0, min < 0, maxCycles < 1) or as
 *   {@link maxNextCycleActivity}.
 */
export function planRemainingCycles(
  entries: readonly CycleOrganDose[],
  policy: DoseLimitPolicy = LIMITS_WITH_RENAL_RISK_FACTORS,
  options: RemainingCyclesOptions = {},
): {
  activitiesGBq: number[];
  binding: NextCycleActivity["binding"][];
  stopReason: string;
  /** Warnings of the planning step (e.g. a limited organ without Gy/GBq – its limit was not applied). */
  warnings: string[];
} {
  const std = requirePositive("options.standardActivityGBq", options.standardActivityGBq ?? 7.4);
  const minA = requireNonNegative(
    "options.minMeaningfulActivityGBq",
    options.minMeaningfulActivityGBq ?? 3.7,
  );
  const maxCycles = options.maxCycles ?? 20;
  if (!Number.isInteger(maxCycles) || maxCycles < 1) {
    throw new RangeError(`options.maxCycles must be an integer ≥ 1, got ${maxCycles}`);
  }
  // freeze Gy/GBq and T_eff from the history (or options) so simulated cycles reuse them
  const base = buildDoseLedger(entries, policy);
  const gyPerGBq: Record<string, number> = {};
  const teff: Record<string, number> = {};
  for (const lim of policy.limits) {
    const led = base.organs.find((o) => o.organ === lim.organ) as OrganLedger;
    const g = options.gyPerGBq?.[lim.organ] ?? led.latestGyPerGBq;
    if (g > 0) gyPerGBq[lim.organ] = g;
    const t = options.effectiveHalfLifeH?.[lim.organ] ?? led.latestEffectiveHalfLifeH;
    if (t !== null) teff[lim.organ] = t;
  }
  const hist = [...entries];
  const activities: number[] = [];
  const bindings: NextCycleActivity["binding"][] = [];
  const simCourse = "\u0000planned";
  const warnings = new Set<string>();
  for (let k = 1; k <= maxCycles; k++) {
    const next = maxNextCycleActivity(hist, policy, {
      gyPerGBq,
      effectiveHalfLifeH: teff,
      capGBq: std,
    });
    next.warnings.forEach((w) => warnings.add(w));
    if (next.maxActivityGBq < minA || next.maxActivityGBq <= 0) {
      return {
        activitiesGBq: activities,
        binding: bindings,
        warnings: [...warnings],
        stopReason: `next allowed activity ${next.maxActivityGBq.toFixed(2)} GBq < minimum meaningful ${minA} GBq (${next.message})`,
      };
    }
    activities.push(next.maxActivityGBq);
    bindings.push(next.binding);
    for (const [organ, g] of Object.entries(gyPerGBq)) {
      const t = teff[organ];
      hist.push({
        courseId: simCourse,
        cycleNumber: k,
        administeredActivityGBq: next.maxActivityGBq,
        organ,
        absorbedDoseGy: g * next.maxActivityGBq,
        ...(t !== undefined ? { effectiveHalfLifeH: t } : {}),
      });
    }
  }
  return {
    activitiesGBq: activities,
    binding: bindings,
    warnings: [...warnings],
    stopReason: `reached options.maxCycles = ${maxCycles}`,
  };
}
