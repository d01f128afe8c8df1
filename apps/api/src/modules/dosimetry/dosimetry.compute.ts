/**
 * Pure orchestration of one cycle's dosimetry: time points → per-VOI TAC fit (model chosen by
 * the physicist) → TIA → absorbed dose, kidney BED and first-order uncertainty. Every formula
 * lives in @lutetia/quantification; this file only decides which function applies to which VOI
 * (reference/dosimetry.md §3–§6) and never does maths of its own beyond unit conversions.
 */
import {
  bedWithUncertainty,
  combineRelativeSd,
  fitMonoExponential,
  fitUptakeWashout,
  getNuclide,
  hanscheidTia,
  KIDNEY_LQ,
  localDepositionDoseGy,
  LU177_PHANTOM_MASS_G,
  lu177SValue,
  organAbsorbedDoseLu177,
  redMarrowSelfDoseFromBlood,
  selfDoseUncertainty,
  trapezoidWithTail,
  DEFAULT_TRAPEZOID_TAIL_POLICY,
  LU177_MEAN_ELECTRON_ENERGY_MEV,
  localDepositionConstant,
  halfLifeFromRateH,
  halfLifeSdFromRateVarianceH,
  hanscheidImpliedActivity,
  monoExponentialActivity,
  uptakeWashoutActivity,
  type Lu177SourceOrgan,
  type Lu177TargetOrgan,
  type PhantomSex,
} from "@lutetia/quantification";
import type { DosimetryTimepointDoc, DosimetryVoiDoc } from "@lutetia/db";

export type VoiKind = DosimetryVoiDoc["kind"];
export type FitModel = DosimetryVoiDoc["model"];
/** Organs of the ledger (tumours are reported per lesion, not in the ledger). */
export type LedgerOrgan = "KIDNEYS" | "LIVER" | "SPLEEN" | "BONE_MARROW";

/** 177Lu physical half-life from @lutetia/quantification's nuclide table (radionuclides.md). */
export const LU177_HALF_LIFE_S = getNuclide("177Lu").halfLifeS;

/**
 * Soft-tissue density used when only a volume is given: 1.06 g/mL (reference/dosimetry.md §4.2,
 * "ρ … or 1.06 g/mL for soft tissue").
 */
export const SOFT_TISSUE_DENSITY_G_PER_ML = 1.06;

/**
 * Relative 1-SD attributed to the Hänscheid single-time-point approximation itself: the
 * approximation stays within ±10 % of the mono-exponential Ã for 0.41 ≤ T_eff/t ≤ 1.31
 * (reference/dosimetry.md §3.4) – taken as a 1-SD of 0.10 *(policy, unverified)*.
 */
export const STP_METHOD_REL_SD = 0.1;

export interface ComputeInput {
  administeredActivityMBq: number;
  administeredAt: Date;
  phantomSex: "FEMALE" | "MALE" | null;
  activityRelSd: number;
  calibrationRelSd: number;
  massRelSd: number;
  timepoints: readonly DosimetryTimepointDoc[];
  vois: readonly DosimetryVoiDoc[];
}

export interface Param {
  name: string;
  value: number;
  unit: string;
}

export interface VoiResult {
  key: string;
  kind: VoiKind;
  label: string;
  lesionId: string | null;
  model: FitModel;
  /** Null when the VOI could not be computed; `error` says why (field and value). */
  error: string | null;
  points: { timeH: number; value: number }[];
  /** Fitted / integrated curve sampled for the plot (same unit as the points). */
  curve: { timeH: number; value: number }[];
  parameters: Param[];
  rSquared: number | null;
  residuals: number[];
  effectiveHalfLifeH: number | null;
  /** Ã in MBq·h (BONE_MARROW: red-marrow Ã from the blood integral). */
  tiaMBqH: number | null;
  tiaSdMBqH: number | null;
  massG: number | null;
  doseGy: number | null;
  doseSdGy: number | null;
  bedGy: number | null;
  bedSdGy: number | null;
  gyPerGBq: number | null;
  method: string;
  flags: { code: string; message: string }[];
}

export interface OrganResult {
  organ: LedgerOrgan;
  doseGy: number;
  doseSdGy: number | null;
  bedGy: number | null;
  effectiveHalfLifeH: number | null;
  /** Key of the VOI the organ value comes from (kidneys: the higher-dose kidney). */
  voiKey: string;
}

export interface RecordResults {
  administeredActivityGBq: number;
  timesH: Record<string, number>;
  vois: VoiResult[];
  organs: OrganResult[];
  warnings: string[];
}

/** Hours between administration and acquisition (h). */
export function hoursPostInjection(administeredAt: Date, acquiredAt: string | Date): number {
  return (new Date(acquiredAt).getTime() - administeredAt.getTime()) / 3_600_000;
}

const SELF_ORGAN: Partial<Record<VoiKind, Lu177TargetOrgan>> = {
  KIDNEY_LEFT: "kidneys",
  KIDNEY_RIGHT: "kidneys",
  LIVER: "liver",
  SPLEEN: "spleen",
};

const round = (x: number, d = 6) => Number(x.toPrecision(d));

interface TacOutcome {
  tiaMBqH: number;
  tiaSdMBqH: number | null;
  effectiveHalfLifeH: number | null;
  effectiveHalfLifeSdH: number;
  rSquared: number | null;
  residuals: number[];
  parameters: Param[];
  curve: (t: number) => number;
  /** Piecewise curves (trapezoid) supply their own sampled knots. */
  knots?: { timeH: number; value: number }[];
  flags: { code: string; message: string }[];
  method: string;
  /** Relative SD of Ã for the dose propagation (NaN = use the propagated self-dose SD). */
  tiaRelSd: number | null;
}

function fitTac(model: FitModel, t: number[], a: number[], stpIndex: number): TacOutcome {
  const halfLifeS = LU177_HALF_LIFE_S;
  if (model === "MONO_EXP") {
    const f = fitMonoExponential(t, a, halfLifeS);
    const varL = f.covariance?.[1]?.[1];
    const teffSd = varL !== undefined && f.lambdaEffPerH > 0 ? halfLifeSdFromRateVarianceH(f.lambdaEffPerH, varL) : 0;
    return {
      tiaMBqH: f.tiaMBqH,
      tiaSdMBqH: Number.isFinite(f.tiaSdMBqH) ? f.tiaSdMBqH : null,
      effectiveHalfLifeH: f.lambdaEffPerH > 0 ? f.effectiveHalfLifeH : null,
      effectiveHalfLifeSdH: teffSd,
      rSquared: f.rSquared,
      residuals: f.residualsMBq,
      parameters: [
        { name: "A0'", value: f.a0MBq, unit: "MBq" },
        { name: "λ_eff", value: f.lambdaEffPerH, unit: "h⁻¹" },
        { name: "T_eff", value: f.effectiveHalfLifeH, unit: "h" },
        { name: "T_biol", value: f.biologicalHalfLifeH, unit: "h" },
      ],
      curve: (x) => monoExponentialActivity(f.a0MBq, f.lambdaEffPerH, x),
      flags: f.flags,
      method: `mono-exponential (${f.method}${f.tiaMethod === "analytic" ? "" : ", non-washout fallback: trapezoid + physical tail"}; dosimetry.md §3.1)`,
      tiaRelSd: null,
    };
  }
  if (model === "BI_EXP") {
    const f = fitUptakeWashout(t, a, halfLifeS);
    return {
      tiaMBqH: f.tiaMBqH,
      tiaSdMBqH: Number.isFinite(f.tiaSdMBqH) ? f.tiaSdMBqH : null,
      effectiveHalfLifeH: f.lambdaWashoutPerH > 0 ? halfLifeFromRateH(f.lambdaWashoutPerH) : null,
      effectiveHalfLifeSdH: 0,
      rSquared: f.rSquared,
      residuals: f.residualsMBq,
      parameters: [
        { name: "a", value: f.amplitudeMBq, unit: "MBq" },
        { name: "λ₁ (washout)", value: f.lambdaWashoutPerH, unit: "h⁻¹" },
        { name: "λ₂ (uptake)", value: f.lambdaUptakePerH, unit: "h⁻¹" },
        { name: "t_peak", value: f.timeOfPeakH, unit: "h" },
      ],
      curve: (x) => uptakeWashoutActivity(f.amplitudeMBq, f.lambdaWashoutPerH, f.lambdaUptakePerH, x),
      flags: f.flags,
      method: "bi-exponential uptake–washout (Levenberg–Marquardt; dosimetry.md §3.2)",
      tiaRelSd: Number.isFinite(f.tiaSdMBqH) && f.tiaMBqH > 0 ? f.tiaSdMBqH / f.tiaMBqH : null,
    };
  }
  if (model === "TRAPEZOID_TAIL") {
    const f = trapezoidWithTail(t, a, halfLifeS, DEFAULT_TRAPEZOID_TAIL_POLICY);
    const last = t.length - 1;
    const tn = t[last] as number;
    const an = a[last] as number;
    const knots = [{ timeH: 0, value: 0 }, ...t.map((x, i) => ({ timeH: x, value: a[i] as number }))];
    return {
      tiaMBqH: f.tiaMBqH,
      tiaSdMBqH: null,
      effectiveHalfLifeH: f.lambdaTailPerH > 0 ? halfLifeFromRateH(f.lambdaTailPerH) : null,
      effectiveHalfLifeSdH: 0,
      rSquared: null,
      residuals: [],
      parameters: [
        { name: "∫ 0→t₁", value: f.zeroSegmentMBqH, unit: "MBq·h" },
        { name: "Σ trapezoids", value: f.trapezoidMBqH, unit: "MBq·h" },
        { name: "tail A_n/λ", value: f.tailMBqH, unit: "MBq·h" },
        { name: "λ_tail", value: f.lambdaTailPerH, unit: "h⁻¹" },
      ],
      curve: (x) => (x <= tn ? Number.NaN : monoExponentialActivity(an, f.lambdaTailPerH, x - tn)),
      knots,
      flags: f.flags,
      method: "trapezoid + tail (A(0)=0 linear rise, tail λ from the last two points; dosimetry.md §3.3)",
      tiaRelSd: null,
    };
  }
  // SINGLE_TIME_POINT – Hänscheid: Ã ≈ A(t)·2t/ln2 (dosimetry.md §3.4). The approximation is exact
  // for a mono-exponential with T_eff = t, which is the curve drawn and the T_eff used for BED.
  const ts = t[stpIndex] as number;
  const as = a[stpIndex] as number;
  const tia = hanscheidTia(as, ts);
  return {
    tiaMBqH: tia,
    tiaSdMBqH: null,
    effectiveHalfLifeH: ts,
    effectiveHalfLifeSdH: 0,
    rSquared: null,
    residuals: [],
    parameters: [
      { name: "t", value: ts, unit: "h" },
      { name: "A(t)", value: as, unit: "MBq" },
      { name: "implied T_eff", value: ts, unit: "h" },
    ],
    curve: (x) => hanscheidImpliedActivity(as, ts, x),
    flags: [
      {
        code: "SINGLE_TIME_POINT",
        message: `Hänscheid estimate from the ${round(ts, 4)} h point; within ±10 % when 0.41 ≤ T_eff/t ≤ 1.31 (dosimetry.md §3.4); BED uses the implied T_eff = t`,
      },
    ],
    method: "single time point, Hänscheid 2018: Ã ≈ A(t)·2t/ln2 (dosimetry.md §3.4)",
    tiaRelSd: null,
  };
}

function sampleCurve(o: TacOutcome, tMax: number): { timeH: number; value: number }[] {
  const out: { timeH: number; value: number }[] = [...(o.knots ?? [])];
  const n = 60;
  const start = o.knots ? (o.knots[o.knots.length - 1]?.timeH ?? 0) : 0;
  for (let i = 0; i <= n; i++) {
    const x = start + ((tMax - start) * i) / n;
    const y = o.curve(x);
    if (Number.isFinite(y)) out.push({ timeH: round(x), value: round(y) });
  }
  return out;
}

function voiMassG(v: DosimetryVoiDoc): number | null {
  if (v.massG !== null && v.massG > 0) return v.massG;
  if (v.volumeMl !== null && v.volumeMl > 0) return v.volumeMl * SOFT_TISSUE_DENSITY_G_PER_ML;
  return null;
}

/**
 * Computes every VOI of a record. A VOI that cannot be computed (too few points for the model,
 * no mass for a tumour …) gets `error` naming the field and value; the others are unaffected.
 */
export function computeRecord(input: ComputeInput): RecordResults {
  const timesH: Record<string, number> = {};
  for (const tp of input.timepoints) timesH[tp.key] = hoursPostInjection(input.administeredAt, tp.acquiredAt);
  const sex: PhantomSex | null = input.phantomSex === "FEMALE" ? "female" : input.phantomSex === "MALE" ? "male" : null;
  const warnings: string[] = [];
  const gbq = input.administeredActivityMBq / 1000;
  const tMaxAll = Math.max(168, ...Object.values(timesH)) * 1.25;

  // Pass 1: TIA of every VOI.
  const pass1 = input.vois.map((v) => {
    const pts = input.timepoints
      .map((tp) => ({ key: tp.key, timeH: timesH[tp.key] as number, value: v.activities[tp.key] }))
      .filter((p): p is { key: string; timeH: number; value: number } => typeof p.value === "number");
    const base: VoiResult = {
      key: v.key, kind: v.kind, label: v.label, lesionId: v.lesionId, model: v.model, error: null,
      points: pts.map((p) => ({ timeH: round(p.timeH), value: p.value })), curve: [], parameters: [], rSquared: null, residuals: [],
      effectiveHalfLifeH: null, tiaMBqH: null, tiaSdMBqH: null, massG: voiMassG(v), doseGy: null, doseSdGy: null, bedGy: null, bedSdGy: null,
      gyPerGBq: null, method: "", flags: [],
    };
    let stpIndex = pts.length - 1;
    if (v.model === "SINGLE_TIME_POINT" && v.stpTimepointKey) stpIndex = pts.findIndex((p) => p.key === v.stpTimepointKey);
    if (v.model === "SINGLE_TIME_POINT" && stpIndex < 0) {
      return { v, r: { ...base, error: `stpTimepointKey ${JSON.stringify(v.stpTimepointKey)} has no activity for this VOI` }, o: null, pts };
    }
    if (pts.length === 0) return { v, r: { ...base, error: "no activity entered for any time point" }, o: null, pts };
    try {
      const o = fitTac(v.model, pts.map((p) => p.timeH), pts.map((p) => p.value), stpIndex);
      const r: VoiResult = {
        ...base,
        curve: sampleCurve(o, tMaxAll),
        parameters: o.parameters.map((p) => ({ ...p, value: round(p.value) })),
        rSquared: o.rSquared,
        residuals: o.residuals.map((x) => round(x)),
        effectiveHalfLifeH: o.effectiveHalfLifeH,
        tiaMBqH: o.tiaMBqH,
        tiaSdMBqH: o.tiaSdMBqH,
        method: o.method,
        flags: o.flags.map((f) => ({ code: f.code, message: f.message })),
      };
      return { v, r, o, pts };
    } catch (e) {
      return { v, r: { ...base, error: (e as Error).message }, o: null, pts };
    }
  });

  // Source TIAs for the MIRD cross terms (kidneys = left + right).
  const sources: { source: Lu177SourceOrgan; tiaMBqH: number }[] = [];
  const kid = pass1.filter((x) => (x.v.kind === "KIDNEY_LEFT" || x.v.kind === "KIDNEY_RIGHT") && x.r.tiaMBqH !== null);
  if (kid.length) sources.push({ source: "kidneys", tiaMBqH: kid.reduce((s, x) => s + (x.r.tiaMBqH as number), 0) });
  for (const kind of ["LIVER", "SPLEEN"] as const) {
    const x = pass1.find((y) => y.v.kind === kind && y.r.tiaMBqH !== null);
    if (x) sources.push({ source: kind === "LIVER" ? "liver" : "spleen", tiaMBqH: x.r.tiaMBqH as number });
  }

  const vois = pass1.map(({ v, r, o, pts }): VoiResult => {
    if (r.error !== null || o === null || r.tiaMBqH === null) return r;
    const mass = r.massG;
    const out = { ...r };
    try {
      const target = SELF_ORGAN[v.kind];
      const selfUnc = (sPhantom: number, phantomMass: number, patientMass: number): number | null => {
        // Full first-order propagation for mono-exp / trapezoid (activities, calibration, times, mass);
        // other models: quadrature of relative SDs (uncertainty.ts combineRelativeSd).
        if (v.model === "MONO_EXP" || v.model === "TRAPEZOID_TAIL") {
          if (v.model === "MONO_EXP" && pts.some((p) => p.value <= 0)) return null;
          const u = selfDoseUncertainty({
            timesH: pts.map((p) => p.timeH), activitiesMBq: pts.map((p) => p.value), activityRelSd: input.activityRelSd,
            calibrationRelSd: input.calibrationRelSd, physicalHalfLifeS: LU177_HALF_LIFE_S, sPhantomMGyPerMBqH: sPhantom,
            phantomMassG: phantomMass, patientMassG: patientMass, patientMassSdG: patientMass * input.massRelSd,
            tiaMethod: v.model === "MONO_EXP" ? { kind: "mono-exponential" } : { kind: "trapezoid-tail", policy: DEFAULT_TRAPEZOID_TAIL_POLICY },
          });
          return u.relativeSd;
        }
        const tiaRel = o.tiaRelSd ?? combineRelativeSd({ activity: input.activityRelSd });
        return combineRelativeSd({
          tia: tiaRel, calibration: input.calibrationRelSd, mass: input.massRelSd,
          ...(v.model === "SINGLE_TIME_POINT" ? { method: STP_METHOD_REL_SD } : {}),
        });
      };
      if (v.kind === "TUMOUR") {
        if (mass === null) throw new Error(`massG (or volumeMl) is required for tumour VOI "${v.label}" (local deposition, dosimetry.md §4.3), got ${String(v.massG)}`);
        out.doseGy = localDepositionDoseGy(r.tiaMBqH as number, mass);
        // Uncertainty: self-dose chain with the 1 g sphere S = K/0.001 kg (uncertainty.ts doc).
        const rel = selfUnc(localDepositionConstant(LU177_MEAN_ELECTRON_ENERGY_MEV) / 0.001, 1, mass);
        out.doseSdGy = rel === null ? null : out.doseGy * rel;
        out.method += "; dose by local deposition K·Ã/m (dosimetry.md §4.3)";
      } else if (v.kind === "BONE_MARROW") {
        if (!sex && mass === null) throw new Error("phantomSex (for the ICRP 89 red-marrow mass) or the VOI massG is required for BONE_MARROW, got neither");
        const rmMass = mass ?? LU177_PHANTOM_MASS_G[sex as PhantomSex].redMarrow;
        const m = redMarrowSelfDoseFromBlood({ bloodTiaConcentrationMBqHPerMl: r.tiaMBqH as number, redMarrowMassG: rmMass });
        out.massG = rmMass;
        out.parameters = [...out.parameters, { name: "[Ã]_blood", value: round(r.tiaMBqH as number), unit: "MBq·h/mL" }, { name: "RMBLR", value: 1, unit: "" }, { name: "m_RM", value: rmMass, unit: "g" }];
        out.tiaMBqH = m.tiaRedMarrowMBqH;
        out.tiaSdMBqH = r.tiaSdMBqH === null ? null : (r.tiaSdMBqH * m.tiaRedMarrowMBqH) / (r.tiaMBqH as number);
        out.doseGy = m.totalDoseGy;
        // Self-dose K·[Ã]_blood·RMBLR is independent of the marrow mass (it cancels).
        out.doseSdGy = out.doseGy * (o.tiaRelSd ?? combineRelativeSd({ activity: input.activityRelSd }));
        out.method += "; red marrow from blood, Sgouros, RMBLR = 1 (dosimetry.md §5); cross-dose from organs/tumours not included";
        out.flags = [...out.flags, { code: "MARROW_SELF_DOSE_ONLY", message: "red-marrow self-dose only; cross-dose from organs and tumours (significant for 177Lu-DOTATATE, Forrer 2009) is not included" }];
      } else if (target) {
        if (!sex) throw new Error(`phantomSex is required for organ S-values (VOI "${v.label}"), got null`);
        const isKidney = v.kind === "KIDNEY_LEFT" || v.kind === "KIDNEY_RIGHT";
        if (isKidney && mass === null) throw new Error(`massG (or volumeMl) is required for a single-kidney VOI "${v.label}" (self-S mass scaling, dosimetry.md §4.2), got ${String(v.massG)}`);
        const own: Lu177SourceOrgan = target as Lu177SourceOrgan;
        const src = sources.filter((s) => s.source !== own);
        src.unshift({ source: own, tiaMBqH: r.tiaMBqH as number });
        const d = organAbsorbedDoseLu177(sex, target, src, mass ?? undefined);
        out.doseGy = d.doseGy;
        const sv = lu177SValue(sex, target, own);
        const rel = selfUnc(sv.mGyPerMBqH, sv.targetPhantomMassG, mass ?? sv.targetPhantomMassG);
        out.doseSdGy = rel === null ? null : d.doseGy * rel;
        out.method += `; MIRD S-values 177Lu (${sex} phantom, ${sv.table})${mass !== null ? `, self-S mass-scaled to ${round(mass, 4)} g` : ", phantom mass"}; sources ${src.map((s) => s.source).join(", ")} (dosimetry.md §4.1–4.2)`;
        if (isKidney && out.effectiveHalfLifeH !== null && out.effectiveHalfLifeH > 0) {
          // Kidney BED (LQ, α/β 2.6 Gy, T_rep 2.8 h – dosimetry.md §6, configurable constants in bed.ts).
          const b = bedWithUncertainty(out.doseGy, out.doseSdGy ?? 0, out.effectiveHalfLifeH, o.effectiveHalfLifeSdH, KIDNEY_LQ);
          out.bedGy = b.value;
          out.bedSdGy = out.doseSdGy === null ? null : b.sd;
        }
      }
      out.gyPerGBq = out.doseGy !== null ? out.doseGy / gbq : null;
      return out;
    } catch (e) {
      return { ...out, error: (e as Error).message };
    }
  });

  // Organ values of the cycle for the ledger. Kidneys: the kidney with the higher absorbed dose
  // (conservative site policy, README "Dosimetry workspace").
  const organs: OrganResult[] = [];
  const kidneys = vois.filter((x) => (x.kind === "KIDNEY_LEFT" || x.kind === "KIDNEY_RIGHT") && x.doseGy !== null).sort((a, b) => (b.doseGy as number) - (a.doseGy as number));
  if (kidneys[0]) {
    const k = kidneys[0];
    organs.push({ organ: "KIDNEYS", doseGy: k.doseGy as number, doseSdGy: k.doseSdGy, bedGy: k.bedGy, effectiveHalfLifeH: k.effectiveHalfLifeH, voiKey: k.key });
  }
  for (const kind of ["LIVER", "SPLEEN", "BONE_MARROW"] as const) {
    const x = vois.find((y) => y.kind === kind && y.doseGy !== null);
    if (x) organs.push({ organ: kind, doseGy: x.doseGy as number, doseSdGy: x.doseSdGy, bedGy: null, effectiveHalfLifeH: x.effectiveHalfLifeH, voiKey: x.key });
  }
  for (const x of vois) if (x.error) warnings.push(`${x.label}: ${x.error}`);
  return { administeredActivityGBq: gbq, timesH, vois, organs, warnings };
}
