import { show } from "../common/assert.js";
import { SRC } from "../common/sources.js";
import { assertTimeZone, calendarDaysBetween, hoursBetween, toZoned } from "../common/time.js";
import { cockcroftGaultCrClMLPerMin } from "../common/units.js";
import type { EligibilityPolicy } from "./policy.js";
import { NETTER_STYLE_ELIGIBILITY_POLICY } from "./policy.js";

export type CriterionStatus = "PASS" | "FAIL" | "NEEDS_DATA" | "WARN";
export type WhoGrade = "G1" | "G2" | "G3";

/** Result of one eligibility criterion. */
export interface CriterionResult {
  id: string;
  label: string;
  value: number | string | null;
  unit: string | null;
  threshold: string;
  status: CriterionStatus;
  message: string;
  source: string;
}

/**
 * Patient data for eligibility. Canonical units (convert with the unit helpers):
 * haemoglobin g/dL, WBC and platelets ×10⁹/L, creatinine clearance mL/min, albumin g/dL,
 * bilirubin as value + ULN in one unit. `undefined`/`null` means "not recorded" → NEEDS_DATA.
 */
export interface EligibilityInput {
  /** Evaluation instant for lab age (default: now). */
  asOf?: string | Date;
  /** Site time zone for calendar-day differences (default "UTC"). */
  timeZone?: string;
  /** Krenning score per target lesion on SSTR imaging. */
  sstr?: { targetLesions: Array<{ id: string; krenning: number | null }> };
  /** FDG PET: not performed, or matched lesions with FDG positivity and SSTR Krenning score. */
  fdg?:
    | { performed: false }
    | {
        performed: true;
        lesions: Array<{
          id: string;
          fdgPositive: boolean;
          krenning: number | null;
          indeterminate?: boolean;
        }>;
      };
  pathology?: { ki67Percent?: number | null; whoGrade?: WhoGrade | null };
  labs?: {
    sampledAt?: string | Date | null;
    haemoglobinGPerDL?: number | null;
    wbcE9PerL?: number | null;
    plateletsE9PerL?: number | null;
    /** Measured or estimated creatinine clearance; if absent, Cockcroft–Gault inputs, then eGFR, are used. */
    creatinineClearanceMLPerMin?: number | null;
    cockcroftGault?: {
      ageYears: number;
      weightKg: number;
      serumCreatinineMgPerDL: number;
      sex: "F" | "M";
    } | null;
    /** eGFR / measured GFR (mL/min/1.73 m²), last-resort renal input (LUTIA, NCT01842165 use GFR). */
    egfrMLPerMinPer173m2?: number | null;
    bilirubin?: { value: number; uln: number } | null;
    albuminGPerDL?: number | null;
    prothrombinTimeNormal?: boolean | null;
    inr?: number | null;
  };
  performance?: { ecog?: number | null; karnofsky?: number | null };
  priorPrrt?:
    | { received: false }
    | {
        received: true;
        cumulativeActivityGBq: number;
        cumulativeKidneyDoseGy?: number | null;
        pfsMonthsAfterLastCourse?: number | null;
      };
  ssa?: {
    plannedAdministrationAt: string | Date;
    lastLongActingAt: string | Date | null;
    lastShortActingAt: string | Date | null;
  };
}

export type EligibilityOverall = "ELIGIBLE" | "NOT_ELIGIBLE" | "NEEDS_DATA" | "REVIEW";

export interface EligibilityResult {
  overall: EligibilityOverall;
  policyId: string;
  criteria: CriterionResult[];
  /** One line per non-PASS criterion, "id: message". */
  reasons: string[];
  /** The verdict is advisory; the tumour-board decision is a separate signed record (prrt-protocols.md §3). */
  advisory: true;
}

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const r10 = (x: number): number => Math.round(x * 1e10) / 1e10;

function num(name: string, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "number") throw new TypeError(`${name} must be a number, got ${show(v)}`);
  if (!Number.isFinite(v) || v < 0)
    throw new RangeError(`${name} must be a finite number ≥ 0, got ${show(v)}`);
  return v;
}

/** WHO grade from Ki-67 %: G1 < 3, G2 3–20, G3 > 20 (prrt-protocols.md §3; Faggiano, Oncotarget 2016;7:5538). @throws RangeError naming `ki67Percent`. */
export function whoGradeFromKi67(ki67Percent: number): WhoGrade {
  if (!isNum(ki67Percent) || ki67Percent < 0 || ki67Percent > 100)
    throw new RangeError(`ki67Percent must be in [0, 100], got ${show(ki67Percent)}`);
  return ki67Percent < 3 ? "G1" : ki67Percent <= 20 ? "G2" : "G3";
}

/** "Exclude if value < min": PASS at ≥ min. */
function atLeast(
  id: string,
  label: string,
  v: number | null,
  unit: string,
  min: { value: number; source: string },
): CriterionResult {
  const threshold = `≥ ${+min.value.toFixed(4)} ${unit}`;
  if (v === null)
    return {
      id,
      label,
      value: null,
      unit,
      threshold,
      status: "NEEDS_DATA",
      message: `${label} not recorded`,
      source: min.source,
    };
  const ok = v >= min.value;
  return {
    id,
    label,
    value: v,
    unit,
    threshold,
    status: ok ? "PASS" : "FAIL",
    message: ok
      ? `${label} ${v} ${unit} meets ${threshold}`
      : `${label} ${v} ${unit} below ${threshold}`,
    source: min.source,
  };
}

/**
 * Evaluate PRRT eligibility criteria (advisory) against a policy.
 *
 * Criteria (ids): sstr-uptake (all target lesions Krenning ≥ min), fdg-discordance (FDG+/SSTR− lesions),
 * ki67 (≤ max and ≥ min Ki-67 %, or WHO grade band), haemoglobin, wbc, platelets, renal (CrCl, measured or
 * Cockcroft–Gault), bilirubin (≤ k × ULN), albumin (≥ min unless prothrombin time normal, per policy), inr,
 * performance (ECOG ≤ max and/or Karnofsky ≥ min), prior-prrt (retreatment → REVIEW; kidney dose limit),
 * ssa-washout (long-acting ≥ 28 days, short-acting ≥ 24 h before the planned administration), lab-age
 * (labs ≤ 14 days old; older → NEEDS_DATA: repeat labs).
 * Overall: any FAIL → NOT_ELIGIBLE; else any NEEDS_DATA → NEEDS_DATA; else any WARN → REVIEW; else ELIGIBLE.
 * Missing data is NEEDS_DATA, never a silent pass. Source: prrt-protocols.md §3, response-criteria.md §6.1, §7.3
 * (each criterion carries its own source from the policy).
 *
 * @throws TypeError/RangeError naming the field for malformed values (negative counts, Krenning outside 0–4,
 *   ECOG outside 0–5, Karnofsky outside 0–100, bad dates or time zone).
 */
export function evaluateEligibility(
  patient: EligibilityInput,
  policy: EligibilityPolicy = NETTER_STYLE_ELIGIBILITY_POLICY,
): EligibilityResult {
  if (typeof patient !== "object" || patient === null)
    throw new TypeError(`patient must be an object, got ${show(patient)}`);
  const tz = patient.timeZone ?? "UTC";
  assertTimeZone("patient.timeZone", tz);
  const asOf = toZoned("patient.asOf", patient.asOf ?? new Date(), tz);
  const c: CriterionResult[] = [];
  const minK = policy.minKrenning.value;
  const krenning = (name: string, v: unknown): number | null => {
    if (v === null || v === undefined) return null;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 4)
      throw new RangeError(`${name} must be an integer Krenning score 0–4, got ${show(v)}`);
    return v;
  };

  // SSTR uptake in all target lesions
  {
    const src = policy.minKrenning.source;
    const threshold = `Krenning ≥ ${minK} in every target lesion`;
    const lesions = patient.sstr?.targetLesions;
    if (lesions === undefined || lesions.length === 0) {
      c.push({
        id: "sstr-uptake",
        label: "SSTR uptake vs liver (target lesions)",
        value: null,
        unit: "Krenning",
        threshold,
        status: "NEEDS_DATA",
        message: "no target lesions scored on SSTR imaging",
        source: src,
      });
    } else {
      const scored = lesions.map((l, i) => ({
        id: l.id,
        k: krenning(`patient.sstr.targetLesions[${i}].krenning`, l.krenning),
      }));
      const missing = scored.filter((l) => l.k === null).map((l) => l.id);
      const below = scored.filter((l) => l.k !== null && l.k < minK);
      const minScore = Math.min(...scored.filter((l) => l.k !== null).map((l) => l.k as number));
      const value = Number.isFinite(minScore) ? minScore : null;
      if (below.length > 0) {
        c.push({
          id: "sstr-uptake",
          label: "SSTR uptake vs liver (target lesions)",
          value,
          unit: "Krenning (lowest)",
          threshold,
          status: "FAIL",
          message: `target lesion(s) below Krenning ${minK}: ${below.map((l) => `${l.id}=${l.k}`).join(", ")}`,
          source: src,
        });
      } else if (missing.length > 0) {
        c.push({
          id: "sstr-uptake",
          label: "SSTR uptake vs liver (target lesions)",
          value,
          unit: "Krenning (lowest)",
          threshold,
          status: "NEEDS_DATA",
          message: `target lesion(s) without a Krenning score: ${missing.join(", ")}`,
          source: src,
        });
      } else {
        c.push({
          id: "sstr-uptake",
          label: "SSTR uptake vs liver (target lesions)",
          value,
          unit: "Krenning (lowest)",
          threshold,
          status: "PASS",
          message: `all ${scored.length} target lesions Krenning ≥ ${minK}`,
          source: src,
        });
      }
    }
  }

  // Ki-67 / WHO grade
  const ki67 = patient.pathology?.ki67Percent ?? null;
  if (ki67 !== null && (!isNum(ki67) || ki67 < 0 || ki67 > 100))
    throw new RangeError(`patient.pathology.ki67Percent must be in [0, 100], got ${show(ki67)}`);
  const grade = patient.pathology?.whoGrade ?? null;
  if (grade !== null && grade !== "G1" && grade !== "G2" && grade !== "G3")
    throw new RangeError(`patient.pathology.whoGrade must be G1|G2|G3, got ${show(grade)}`);
  {
    const max = policy.maxKi67Percent.value;
    const min = policy.minKi67Percent.value;
    const threshold = min === null ? `Ki-67 ≤ ${max} %` : `${min} % ≤ Ki-67 ≤ ${max} %`;
    const src = policy.maxKi67Percent.source;
    if (ki67 !== null) {
      const ok = ki67 <= max && (min === null || ki67 >= min);
      const derived = whoGradeFromKi67(ki67);
      const mismatch = grade !== null && grade !== derived;
      c.push({
        id: "ki67",
        label: "Ki-67 / WHO grade",
        value: ki67,
        unit: "%",
        threshold,
        status: !ok ? "FAIL" : mismatch ? "WARN" : "PASS",
        message: !ok
          ? `Ki-67 ${ki67} % outside ${threshold}`
          : mismatch
            ? `Ki-67 ${ki67} % implies ${derived} but grade recorded as ${grade}`
            : `Ki-67 ${ki67} % (${derived}) within ${threshold}`,
        source: src,
      });
    } else if (grade !== null) {
      // WHO bands: G1 [0, 3), G2 [3, 20], G3 (20, 100]; decide only if the whole band is in or out.
      const band: Record<WhoGrade, { lo: number; hi: number; loExcl: boolean; hiIncl: boolean }> = {
        G1: { lo: 0, hi: 3, loExcl: false, hiIncl: false },
        G2: { lo: 3, hi: 20, loExcl: false, hiIncl: true },
        G3: { lo: 20, hi: 100, loExcl: true, hiIncl: true },
      };
      const b = band[grade];
      const allIn = b.lo >= (min ?? 0) && b.hi <= max;
      const allOut =
        (b.loExcl ? b.lo >= max : b.lo > max) ||
        (min !== null && (b.hiIncl ? b.hi < min : b.hi <= min));
      const status: CriterionStatus = allOut ? "FAIL" : allIn ? "PASS" : "NEEDS_DATA";
      c.push({
        id: "ki67",
        label: "Ki-67 / WHO grade",
        value: grade,
        unit: "WHO grade",
        threshold,
        status,
        message:
          status === "NEEDS_DATA"
            ? `WHO ${grade} spans the threshold; Ki-67 value needed`
            : `WHO ${grade} ${status === "PASS" ? "within" : "outside"} ${threshold}`,
        source: src,
      });
    } else {
      c.push({
        id: "ki67",
        label: "Ki-67 / WHO grade",
        value: null,
        unit: "%",
        threshold,
        status: "NEEDS_DATA",
        message: "Ki-67 and WHO grade not recorded",
        source: src,
      });
    }
  }

  // FDG+/SSTR− discordance
  {
    const src = `${policy.discordantLesionStatus.source}; ${SRC.ELIG_FDG_INDICATED}`;
    const threshold = `no FDG+ lesion with Krenning < ${minK}`;
    const fdg = patient.fdg;
    if (fdg === undefined) {
      c.push({
        id: "fdg-discordance",
        label: "FDG+/SSTR− discordant lesions",
        value: null,
        unit: null,
        threshold,
        status: "NEEDS_DATA",
        message: "FDG PET status not recorded (performed or not)",
        source: src,
      });
    } else if (!fdg.performed) {
      const indicated =
        (ki67 !== null && ki67 > policy.fdgPetIndicatedAboveKi67Percent.value) || grade === "G3";
      const unknown = ki67 === null && grade === null;
      c.push({
        id: "fdg-discordance",
        label: "FDG+/SSTR− discordant lesions",
        value: "FDG PET not performed",
        unit: null,
        threshold,
        status: indicated ? "WARN" : unknown ? "NEEDS_DATA" : "PASS",
        message: indicated
          ? `FDG PET indicated (Ki-67 > ${policy.fdgPetIndicatedAboveKi67Percent.value} % or G3) but not performed`
          : unknown
            ? "FDG PET not performed and Ki-67/grade unknown"
            : "FDG PET not performed; not indicated by Ki-67/grade",
        source: src,
      });
    } else {
      const ls = fdg.lesions.map((l, i) => ({
        ...l,
        k: krenning(`patient.fdg.lesions[${i}].krenning`, l.krenning),
      }));
      const disc = ls
        .filter((l) => l.fdgPositive && !l.indeterminate && l.k !== null && l.k < minK)
        .map((l) => l.id);
      const indet = ls.filter((l) => l.fdgPositive && l.indeterminate === true).map((l) => l.id);
      const missing = ls
        .filter((l) => l.fdgPositive && !l.indeterminate && l.k === null)
        .map((l) => l.id);
      const base = {
        id: "fdg-discordance",
        label: "FDG+/SSTR− discordant lesions",
        unit: "lesions",
        threshold,
        source: src,
      };
      if (disc.length > 0)
        c.push({
          ...base,
          value: disc.length,
          status: policy.discordantLesionStatus.value,
          message: `FDG+/SSTR− lesion(s): ${disc.join(", ")}`,
        });
      else if (missing.length > 0)
        c.push({
          ...base,
          value: null,
          status: "NEEDS_DATA",
          message: `FDG+ lesion(s) without SSTR score: ${missing.join(", ")}`,
        });
      else if (indet.length > 0)
        c.push({
          ...base,
          value: 0,
          status: "WARN",
          message: `indeterminate FDG+ lesion(s) (partial volume): ${indet.join(", ")}`,
        });
      else c.push({ ...base, value: 0, status: "PASS", message: "no FDG+/SSTR− lesions" });
    }
  }

  // Blood counts
  const labs = patient.labs ?? {};
  c.push(
    atLeast(
      "haemoglobin",
      "Haemoglobin",
      num("patient.labs.haemoglobinGPerDL", labs.haemoglobinGPerDL),
      "g/dL",
      policy.minHaemoglobinGPerDL,
    ),
  );
  c.push(
    atLeast(
      "wbc",
      "White blood cells",
      num("patient.labs.wbcE9PerL", labs.wbcE9PerL),
      "×10⁹/L",
      policy.minWbcE9PerL,
    ),
  );
  c.push(
    atLeast(
      "platelets",
      "Platelets",
      num("patient.labs.plateletsE9PerL", labs.plateletsE9PerL),
      "×10⁹/L",
      policy.minPlateletsE9PerL,
    ),
  );

  // Renal
  {
    let crcl = num("patient.labs.creatinineClearanceMLPerMin", labs.creatinineClearanceMLPerMin);
    let how = "reported";
    if (crcl === null && labs.cockcroftGault) {
      crcl = cockcroftGaultCrClMLPerMin(labs.cockcroftGault);
      how = "Cockcroft–Gault";
    }
    const egfr = num("patient.labs.egfrMLPerMinPer173m2", labs.egfrMLPerMinPer173m2);
    if (crcl === null && egfr !== null) {
      crcl = egfr;
      how = "eGFR in mL/min/1.73 m² used in place of CrCl";
    }
    const r = atLeast(
      "renal",
      "Creatinine clearance",
      crcl,
      "mL/min",
      policy.minCreatinineClearanceMLPerMin,
    );
    c.push({
      ...r,
      message:
        crcl === null
          ? "creatinine clearance, Cockcroft–Gault inputs and eGFR all missing"
          : `${r.message} (${how})`,
      source: how === "Cockcroft–Gault" ? `${r.source}; ${SRC.CG}` : r.source,
    });
  }

  // Liver
  {
    const b = labs.bilirubin;
    const k = policy.maxBilirubinXUln.value;
    const threshold = `≤ ${k} × ULN`;
    if (b === undefined || b === null)
      c.push({
        id: "bilirubin",
        label: "Total bilirubin",
        value: null,
        unit: "× ULN",
        threshold,
        status: "NEEDS_DATA",
        message: "bilirubin not recorded",
        source: policy.maxBilirubinXUln.source,
      });
    else {
      const v = num("patient.labs.bilirubin.value", b.value) ?? 0;
      const uln = num("patient.labs.bilirubin.uln", b.uln) ?? 0;
      if (uln <= 0)
        throw new RangeError(`patient.labs.bilirubin.uln must be > 0, got ${show(b.uln)}`);
      const ok = v <= r10(k * uln);
      c.push({
        id: "bilirubin",
        label: "Total bilirubin",
        value: v / uln,
        unit: "× ULN",
        threshold,
        status: ok ? "PASS" : "FAIL",
        message: `bilirubin ${v} (${(v / uln).toFixed(2)} × ULN) ${ok ? "within" : "exceeds"} ${threshold}`,
        source: policy.maxBilirubinXUln.source,
      });
    }
    const alb = num("patient.labs.albuminGPerDL", labs.albuminGPerDL);
    const a = atLeast("albumin", "Albumin", alb, "g/dL", policy.minAlbuminGPerDL);
    if (a.status === "FAIL" && policy.albuminExceptionIfProthrombinNormal.value) {
      const pt = labs.prothrombinTimeNormal;
      if (pt === true)
        c.push({
          ...a,
          status: "PASS",
          message: `${a.message}, accepted: prothrombin time normal`,
          threshold: `${a.threshold} unless prothrombin time normal`,
        });
      else if (pt === false)
        c.push({
          ...a,
          message: `${a.message} and prothrombin time abnormal`,
          threshold: `${a.threshold} unless prothrombin time normal`,
        });
      else
        c.push({
          ...a,
          status: "NEEDS_DATA",
          message: `${a.message}; prothrombin time needed (exception if normal)`,
          threshold: `${a.threshold} unless prothrombin time normal`,
        });
    } else c.push(a);
    if (policy.maxInr !== null) {
      const inr = num("patient.labs.inr", labs.inr);
      const m = policy.maxInr;
      if (inr === null)
        c.push({
          id: "inr",
          label: "INR",
          value: null,
          unit: null,
          threshold: `≤ ${m.value}`,
          status: "NEEDS_DATA",
          message: "INR not recorded",
          source: m.source,
        });
      else
        c.push({
          id: "inr",
          label: "INR",
          value: inr,
          unit: null,
          threshold: `≤ ${m.value}`,
          status: inr <= m.value ? "PASS" : "FAIL",
          message: `INR ${inr} ${inr <= m.value ? "≤" : ">"} ${m.value}`,
          source: m.source,
        });
    }
  }

  // Performance status
  {
    const ecog = patient.performance?.ecog ?? null;
    const kps = patient.performance?.karnofsky ?? null;
    if (
      ecog !== null &&
      (typeof ecog !== "number" || !Number.isInteger(ecog) || ecog < 0 || ecog > 5)
    )
      throw new RangeError(`patient.performance.ecog must be an integer 0–5, got ${show(ecog)}`);
    if (
      kps !== null &&
      (typeof kps !== "number" || !Number.isInteger(kps) || kps < 0 || kps > 100 || kps % 10 !== 0)
    )
      throw new RangeError(
        `patient.performance.karnofsky must be 0–100 in steps of 10, got ${show(kps)}`,
      );
    const threshold = `ECOG ≤ ${policy.maxEcog.value} or Karnofsky ≥ ${policy.minKarnofsky.value}`;
    const src = `${policy.maxEcog.source}; ${policy.minKarnofsky.source}`;
    if (ecog === null && kps === null)
      c.push({
        id: "performance",
        label: "Performance status",
        value: null,
        unit: null,
        threshold,
        status: "NEEDS_DATA",
        message: "ECOG/Karnofsky not recorded",
        source: src,
      });
    else {
      const fails: string[] = [];
      if (ecog !== null && ecog > policy.maxEcog.value)
        fails.push(`ECOG ${ecog} > ${policy.maxEcog.value}`);
      if (kps !== null && kps < policy.minKarnofsky.value)
        fails.push(`Karnofsky ${kps} < ${policy.minKarnofsky.value}`);
      const value =
        ecog !== null ? `ECOG ${ecog}` + (kps !== null ? `, KPS ${kps}` : "") : `KPS ${kps}`;
      c.push({
        id: "performance",
        label: "Performance status",
        value,
        unit: null,
        threshold,
        status: fails.length ? "FAIL" : "PASS",
        message: fails.length ? fails.join("; ") : `${value} meets ${threshold}`,
        source: src,
      });
    }
  }

  // Prior PRRT
  {
    const p = patient.priorPrrt;
    const src = policy.allowPriorPrrt.source;
    const lim = policy.maxCumulativeKidneyDoseGy.value;
    const threshold = policy.allowPriorPrrt.value
      ? `retreatment allowed: cumulative kidney dose < ${lim} Gy, PFS ≥ ${policy.minPfsMonthsForRetreatment.value} months`
      : "no prior PRRT";
    const base = {
      id: "prior-prrt",
      label: "Prior PRRT (cumulative activity / kidney dose)",
      threshold,
    };
    if (p === undefined)
      c.push({
        ...base,
        value: null,
        unit: null,
        status: "NEEDS_DATA",
        message: "prior PRRT history not recorded",
        source: src,
      });
    else if (!p.received)
      c.push({
        ...base,
        value: 0,
        unit: "GBq",
        status: "PASS",
        message: "no prior PRRT",
        source: src,
      });
    else {
      const act = num("patient.priorPrrt.cumulativeActivityGBq", p.cumulativeActivityGBq);
      const kd = num("patient.priorPrrt.cumulativeKidneyDoseGy", p.cumulativeKidneyDoseGy);
      const pfs = num("patient.priorPrrt.pfsMonthsAfterLastCourse", p.pfsMonthsAfterLastCourse);
      if (!policy.allowPriorPrrt.value)
        c.push({
          ...base,
          value: act,
          unit: "GBq",
          status: "FAIL",
          message: `prior PRRT ${act ?? "?"} GBq; policy excludes prior PRRT`,
          source: src,
        });
      else if (kd !== null && kd >= lim)
        c.push({
          ...base,
          value: kd,
          unit: "Gy (kidney)",
          status: "FAIL",
          message: `cumulative kidney dose ${kd} Gy ≥ limit ${lim} Gy`,
          source: policy.maxCumulativeKidneyDoseGy.source,
        });
      else if (kd === null || act === null)
        c.push({
          ...base,
          value: act,
          unit: "GBq",
          status: "NEEDS_DATA",
          message:
            "prior PRRT: cumulative activity and kidney dose needed (import prior-course records)",
          source: `${src}; ${policy.maxCumulativeKidneyDoseGy.source}`,
        });
      else {
        const shortPfs = pfs !== null && pfs < policy.minPfsMonthsForRetreatment.value;
        c.push({
          ...base,
          value: act,
          unit: "GBq",
          status: "WARN",
          message: `retreatment: prior ${act} GBq, kidney ${kd} Gy${pfs === null ? ", PFS after last course not recorded" : shortPfs ? `, PFS ${pfs} months < ${policy.minPfsMonthsForRetreatment.value}` : `, PFS ${pfs} months`} – tumour board review`,
          source: `${src}; ${policy.minPfsMonthsForRetreatment.source}`,
        });
      }
    }
  }

  // SSA washout
  {
    const s = patient.ssa;
    const threshold = `long-acting ≥ ${policy.longActingSsaWashoutDays.value} days, short-acting ≥ ${policy.shortActingSsaWashoutHours.value} h before administration`;
    const src = policy.longActingSsaWashoutDays.source;
    if (s === undefined)
      c.push({
        id: "ssa-washout",
        label: "SSA washout",
        value: null,
        unit: null,
        threshold,
        status: "NEEDS_DATA",
        message: "SSA history / planned administration not recorded",
        source: src,
      });
    else {
      const adm = toZoned("patient.ssa.plannedAdministrationAt", s.plannedAdministrationAt, tz);
      const fails: string[] = [];
      let value: number | null = null;
      if (s.lastLongActingAt !== null) {
        const d = calendarDaysBetween(
          toZoned("patient.ssa.lastLongActingAt", s.lastLongActingAt, tz),
          adm,
          tz,
        );
        value = d;
        if (d < policy.longActingSsaWashoutDays.value)
          fails.push(
            `long-acting SSA ${d} days before (< ${policy.longActingSsaWashoutDays.value})`,
          );
      }
      if (s.lastShortActingAt !== null) {
        const h = hoursBetween(
          toZoned("patient.ssa.lastShortActingAt", s.lastShortActingAt, tz),
          adm,
        );
        if (h < policy.shortActingSsaWashoutHours.value)
          fails.push(
            `short-acting SSA ${h.toFixed(1)} h before (< ${policy.shortActingSsaWashoutHours.value})`,
          );
      }
      c.push({
        id: "ssa-washout",
        label: "SSA washout",
        value,
        unit: value === null ? null : "days since long-acting SSA",
        threshold,
        status: fails.length ? "FAIL" : "PASS",
        message: fails.length ? `${fails.join("; ")} – reschedule administration` : "washout met",
        source: `${src}; ${policy.shortActingSsaWashoutHours.source}`,
      });
    }
  }

  // Lab age
  {
    const lim = policy.maxLabAgeDays;
    const threshold = `sampled ≤ ${lim.value} days before evaluation`;
    if (labs.sampledAt === undefined || labs.sampledAt === null)
      c.push({
        id: "lab-age",
        label: "Lab sample age",
        value: null,
        unit: "days",
        threshold,
        status: "NEEDS_DATA",
        message: "lab sampling date not recorded",
        source: lim.source,
      });
    else {
      const d = calendarDaysBetween(
        toZoned("patient.labs.sampledAt", labs.sampledAt, tz),
        asOf,
        tz,
      );
      const ok = d >= 0 && d <= lim.value;
      c.push({
        id: "lab-age",
        label: "Lab sample age",
        value: d,
        unit: "days",
        threshold,
        status: ok ? "PASS" : "NEEDS_DATA",
        message: ok
          ? `labs ${d} days old`
          : d < 0
            ? "lab sampling date is after the evaluation date"
            : `labs ${d} days old – repeat labs`,
        source: lim.source,
      });
    }
  }

  const has = (s: CriterionStatus) => c.some((x) => x.status === s);
  const overall: EligibilityOverall = has("FAIL")
    ? "NOT_ELIGIBLE"
    : has("NEEDS_DATA")
      ? "NEEDS_DATA"
      : has("WARN")
        ? "REVIEW"
        : "ELIGIBLE";
  return {
    overall,
    policyId: policy.id,
    criteria: c,
    reasons: c.filter((x) => x.status !== "PASS").map((x) => `${x.id} [${x.status}]: ${x.message}`),
    advisory: true,
  };
}
