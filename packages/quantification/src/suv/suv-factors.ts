import { calculateSUVScalingFactors, type InstanceMetadata } from "@cornerstonejs/calculate-suv";
import { bsaDuBoisM2, ibwKg, lbmJamesKg, lbmJanmahasatianKg, type Sex } from "./body-size.js";
import {
  formatDt,
  formatWallClock,
  parseDaSeconds,
  parseDtSeconds,
  parseTmSeconds,
} from "./dicom-time.js";
import type { PetSuvMetadata } from "./pet-metadata.js";
import { getNuclide } from "../units/nuclides.js";

/** Machine-readable reason codes for refusals and warnings of {@link computeSuvFactors}. */
export type SuvReasonCode =
  | "NO_INSTANCES"
  | "SERIES_INCONSISTENT"
  | "NOT_ATTN_DECY_CORRECTED"
  | "UNITS_UNSUPPORTED"
  | "WEIGHT_MISSING"
  | "WEIGHT_INVALID"
  | "DOSE_MISSING"
  | "DOSE_INVALID"
  | "HALF_LIFE_MISSING"
  | "HALF_LIFE_FROM_TABLE"
  | "HALF_LIFE_MISMATCH"
  | "HALF_LIFE_INVALID"
  | "DECAY_CORRECTION_UNSUPPORTED"
  | "TIME_MISSING"
  | "TIME_INVALID"
  | "INJECTION_TIME_MISSING"
  | "DECAY_TIME_NEGATIVE"
  | "PHILIPS_SCALE_FACTOR_MISSING"
  | "FRAME_TIMING_MISSING"
  | "LIBRARY_ERROR"
  | "LIBRARY_MISMATCH"
  // warnings (result still usable)
  | "WEIGHT_IN_GRAMS"
  | "DOSE_IN_MBQ"
  | "MIDNIGHT_ROLLOVER"
  | "SERIES_TIME_AFTER_ACQUISITION"
  | "REFERENCE_TIME_SUSPECT"
  | "BODY_SIZE_UNAVAILABLE"
  | "SEX_OTHER_MEAN";

/** One reason: code, human message, the DICOM attribute (or option) concerned, and its value. */
export interface SuvReason {
  readonly code: SuvReasonCode;
  readonly message: string;
  readonly attribute: string;
  readonly value: string | number | null;
}

/** Which branch of the QIBA decision tree produced the factor (suv.md §2.2). */
export type SuvMethod =
  | "BQML_START" // library: decay-corrected dose at the series reference time
  | "BQML_ADMIN" // own: image decay-corrected to administration, factor = W/A (CNTS: × ACSF)
  | "BQML_START_BACK_COMPUTED" // own: reference time back-computed from frame timing (suv.md §2.3)
  | "BQML_NONE_PER_FRAME" // own: no decay correction in the image, per-frame factor (suv.md §2.4)
  | "CNTS_PHILIPS_SUV_SCALE" // library: Philips (7053,1000)
  | "CNTS_PHILIPS_ACTIVITY_SCALE" // library: Philips (7053,1009) × BQML factor
  | "GML_ALREADY_SUV"; // own: already SUVbw, factor 1 (as the library, without its dose/time demands)

/** Where the reference (scan) time came from (suv.md §2.2 `referenceTime`, QIBA order). */
export type ReferenceTimeSource =
  | "SeriesDateTime"
  | "GEPrivatePostInjectionDateTime"
  | "EarliestAcquisition"
  | "BackComputedFrameTiming";

/** Normalised inputs actually used, recorded with the value (suv.md §1.1: record the formula). */
export interface SuvInputs {
  readonly units: string;
  readonly decayCorrection: string | null;
  readonly weightKg: number | null;
  readonly heightM: number | null;
  readonly sex: string | null;
  readonly injectedDoseBq: number | null;
  readonly halfLifeS: number | null;
  /** Wall-clock reference (scan) time, ISO-like without zone, or null when not needed. */
  readonly referenceTime: string | null;
  readonly referenceTimeSource: ReferenceTimeSource | null;
  /** Wall-clock injection time used (after midnight roll-over), or null when not needed. */
  readonly injectionTime: string | null;
  /** LBM formulas behind `sulJames` / `sulJanma` (DICOM SUV Type values). */
  readonly lbmFormulas: { readonly sulJames: "LBMJAMES128"; readonly sulJanma: "LBMJANMA" };
  /** Policy applied for Patient's Sex "O". */
  readonly otherSexPolicy: OtherSexPolicy;
  readonly referenceTimePolicy: ReferenceTimePolicy;
  /** The library that computed the SUVbw branch, when used. */
  readonly library: string | null;
}

/** Successful result. All factors multiply the modality-rescaled pixel value (stored·slope + intercept). */
export interface SuvFactorsOk {
  readonly ok: true;
  /** SUVbw factor of the first instance (g/mL per pixel unit; per Bq/mL for BQML). */
  readonly suvbw: number;
  /** SUVbw factor per input instance (identical for START/ADMIN BQML; may differ for Philips CNTS). */
  readonly suvbwPerInstance: readonly number[];
  /** SUL factor with LBM James-128 (suv.md §1.1), first instance; absent without height/sex. */
  readonly sulJames?: number;
  /** SUL factor with LBM Janmahasatian (suv.md §1.1), first instance. */
  readonly sulJanma?: number;
  /** SUVbsa factor (cm²/mL per pixel unit), BSA Du Bois, first instance. */
  readonly suvbsa?: number;
  /** SUVibw factor, first instance. */
  readonly suvibw?: number;
  /** Decay time injection → reference time in s (0 for ADMIN; null when not applicable, GML). */
  readonly decayS: number | null;
  readonly method: SuvMethod;
  /** Bq/mL per pixel unit (1 for BQML; Philips (7053,1009) for CNTS; null when unknown). */
  readonly activityConcentrationPerUnit: number | null;
  readonly inputs: SuvInputs;
  /** Non-fatal findings (MBq dose, weight in grams, midnight roll-over, ...). */
  readonly warnings: readonly SuvReason[];
}

/** Refusal: SUV cannot be computed; activity concentration may still be available. */
export interface SuvFactorsFailure {
  readonly ok: false;
  readonly reasons: readonly SuvReason[];
  readonly warnings: readonly SuvReason[];
  /** Bq/mL per pixel unit when the pixel data are still convertible to activity concentration. */
  readonly activityConcentrationPerUnit: number | null;
}

export type SuvFactorsResult = SuvFactorsOk | SuvFactorsFailure;

/** Patient's Sex "O": omit sex-specific factors (default) or use the mean of male and female (IBSI suggestion, suv.md §1.1). */
export type OtherSexPolicy = "omit" | "mean";

/**
 * Reference-time policy for `DecayCorrection = START` (suv.md §2.2): "qiba" (default) uses
 * QIBA steps 1→2→3 (Series date/time if not after the first acquisition, else GE private scan
 * time, else earliest acquisition); "backCompute" always back-computes it from the earliest
 * instance's frame timing, t_ref = t_acq + T_ave − FrameReferenceTime (suv.md §2.3, recommended
 * by the IBSI authors for research data).
 */
export type ReferenceTimePolicy = "qiba" | "backCompute";

export interface SuvFactorOptions {
  readonly otherSexPolicy?: OtherSexPolicy;
  readonly referenceTimePolicy?: ReferenceTimePolicy;
  /**
   * Expected nuclide (e.g. "68Ga"): the header half-life is checked against the nuclide table
   * (warning HALF_LIFE_MISMATCH beyond 1 %) and used as a fallback when the header has none
   * (warning HALF_LIFE_FROM_TABLE). For SUV the header value is preferred so the result matches
   * the scanner's own decay correction (radionuclides.md §1 rule 2).
   */
  readonly nuclide?: string;
}

const LIBRARY = "@cornerstonejs/calculate-suv@1.1.0";
/** Largest tolerated disagreement between the library's implied decay time and ours (s). */
const LIBRARY_TOLERANCE_S = 1;

type Val = string | number | null;

function reason(
  code: SuvReasonCode,
  attribute: string,
  value: unknown,
  message: string,
): SuvReason {
  let v: Val = null;
  if (typeof value === "number" || typeof value === "string") v = value;
  else if (Array.isArray(value)) v = value.join("\\");
  else if (value !== null && value !== undefined) v = JSON.stringify(value);
  return { code, attribute, value: v, message };
}

function num(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === "string") {
    const t = value.trim();
    if (t === "") return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : Number.NaN;
  }
  return null;
}

function str(value: string | null | undefined): string | null {
  if (typeof value !== "string") return null;
  const t = value.replace(/\0/g, "").trim();
  return t === "" ? null : t;
}

function correctedImageList(v: PetSuvMetadata["CorrectedImage"]): string[] {
  if (v === null || v === undefined) return [];
  const arr = typeof v === "string" ? v.split("\\") : [...v];
  return arr.map((s) => s.replace(/\0/g, "").trim().toUpperCase());
}

const SERIES_LEVEL: readonly (keyof PetSuvMetadata)[] = [
  "Units",
  "PatientWeight",
  "PatientSex",
  "PatientSize",
  "RadionuclideHalfLife",
  "RadionuclideTotalDose",
  "DecayCorrection",
  "SeriesDate",
  "SeriesTime",
];

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  const na = num(a);
  const nb = num(b);
  if (na !== null && nb !== null && !Number.isNaN(na)) return na === nb;
  if (typeof a === "string" && typeof b === "string") return a.trim() === b.trim();
  return false;
}

/**
 * Computes SUV scale factors for one PET series from its DICOM metadata, following the
 * QIBA vendor-neutral decision tree (reference/suv.md §2.2, QIBA SUV pseudo-code and the IBSI
 * SUV manual, Vácha et al.). The SUVbw branch for `DecayCorrection = START` (BQML and
 * Philips CNTS) is computed by @cornerstonejs/calculate-suv 1.1.0; this wrapper
 * validates and normalises the inputs first so it never throws an opaque error, and fixes
 * the library's documented gaps:
 *
 * - `DecayCorrection = ADMIN` is ignored by the library (it always decays the dose to the
 *   scan time); here ADMIN gives factor = W_g / A (× Philips ACSF for CNTS) with decayS = 0
 *   (suv.md §2.2). GML (already SUVbw) gives factor 1 without the library, which would demand
 *   dose and times it does not use.
 * - Injection before midnight with only Radiopharmaceutical Start Time: the library makes
 *   the decay time negative and throws; here the start date is rolled back one day
 *   (suv.md §2.2 `injectionTime`, pitfall 1, Example S2) and a MIDNIGHT_ROLLOVER warning is added.
 * - Dose in MBq and weight in grams are detected and converted (suv.md §2.1, pitfall 5).
 * - The library's LBM "James" uses 120 (the "Morgan" variant): SUL is computed here both
 *   with James-128 and Janmahasatian (suv.md §1.1) and the formula is recorded in `inputs`.
 * - Patient's Sex "O" makes the library throw; here it is handled by `otherSexPolicy`.
 * - The library's result is cross-checked against an independent computation: if its
 *   implied decay time differs by more than 1 s the result is refused (LIBRARY_MISMATCH).
 *   (Its DICOM TM parser pads fractional seconds on the wrong side, e.g. ".05" → 0.5 s;
 *   errors stay below 1 s.)
 *
 * Formulas: SUVbw factor = W_g / (A · 2^(−Δt/T½)) (BQML START, Example S1), SUL factor =
 * SUVbw factor · LBM/W, SUVbsa factor = SUVbw factor · BSA_cm² / W_g, SUVibw = SUVbw factor · IBW/W.
 * Every factor multiplies the rescaled pixel value (stored · slope + intercept, applied per slice;
 * suv.md §2.5 pitfall 6). Paths computed here rather than by the library (`inputs.library` = null):
 * `DecayCorrection = NONE` for BQML, per frame, SUVbw = C · W/A · (λT/(1 − e^(−λT))) ·
 * e^(λ(t_acq − t_adm)) (suv.md §2.4; the library has no NONE branch), and
 * `referenceTimePolicy: "backCompute"`, t_ref = t_acq + T_ave − FrameReferenceTime (suv.md §2.3;
 * the library's back-computation is commented out in 1.1.0).
 *
 * @param instances metadata of the instances of one series (or a single instance).
 * @param options `otherSexPolicy` ("omit" default, or "mean"); `referenceTimePolicy` ("qiba"
 *   default, or "backCompute"); `nuclide` for the half-life check/fallback.
 * @returns `{ ok: true, ... }` or `{ ok: false, reasons }`; never throws for bad metadata.
 * @throws TypeError only when `instances` is neither an object nor an array (programming error);
 *   RangeError when `options.nuclide` is not in the nuclide table.
 */
export function computeSuvFactors(
  instances: PetSuvMetadata | readonly PetSuvMetadata[],
  options: SuvFactorOptions = {},
): SuvFactorsResult {
  if (instances === null || typeof instances !== "object") {
    throw new TypeError(
      `instances must be a PetSuvMetadata object or array, got ${String(instances)}`,
    );
  }
  const list: readonly PetSuvMetadata[] = Array.isArray(instances)
    ? instances
    : [instances as PetSuvMetadata];
  const otherSexPolicy = options.otherSexPolicy ?? "omit";
  const referenceTimePolicy = options.referenceTimePolicy ?? "qiba";
  const nuclide = options.nuclide === undefined ? null : getNuclide(options.nuclide);
  const reasons: SuvReason[] = [];
  const warnings: SuvReason[] = [];
  const first = list[0];
  if (first === undefined) {
    return {
      ok: false,
      reasons: [
        reason(
          "NO_INSTANCES",
          "instances",
          0,
          "instances must contain at least one instance, got 0",
        ),
      ],
      warnings,
      activityConcentrationPerUnit: null,
    };
  }

  // --- Series consistency (suv.md §2.2 `allSlicesShare`)
  for (const key of SERIES_LEVEL) {
    for (let i = 1; i < list.length; i++) {
      const inst = list[i]!;
      if (!sameValue(inst[key], first[key])) {
        reasons.push(
          reason(
            "SERIES_INCONSISTENT",
            key,
            inst[key] as unknown,
            `${key} differs between instances (instance 0: ${String(first[key])}, instance ${i}: ${String(inst[key])}); all instances must come from one series`,
          ),
        );
        break;
      }
    }
  }

  // --- Units and activity concentration
  const units = (str(first.Units) ?? "").toUpperCase();
  let activityPerUnit: number | null = null;
  let philipsSuv: number[] | null = null;
  let philipsAcsf: number[] | null = null;
  if (units === "BQML") activityPerUnit = 1;
  else if (units === "CNTS") {
    const suvF = list.map((s) => num(s.PhilipsPETPrivateGroup?.SUVScaleFactor));
    const acF = list.map((s) => num(s.PhilipsPETPrivateGroup?.ActivityConcentrationScaleFactor));
    if (suvF.every((f) => f !== null && Number.isFinite(f) && f > 0)) philipsSuv = suvF as number[];
    if (acF.every((f) => f !== null && Number.isFinite(f) && f > 0)) {
      philipsAcsf = acF as number[];
      activityPerUnit = philipsAcsf[0]!;
    }
    if (philipsSuv === null && philipsAcsf === null) {
      reasons.push(
        reason(
          "PHILIPS_SCALE_FACTOR_MISSING",
          "PhilipsPETPrivateGroup",
          first.PhilipsPETPrivateGroup ?? null,
          `Units CNTS need a non-zero Philips SUV Scale Factor (7053,1000) or Activity Concentration Scale Factor (7053,1009) on every instance, got ${JSON.stringify(first.PhilipsPETPrivateGroup ?? null)}`,
        ),
      );
    }
  } else if (units !== "GML") {
    reasons.push(
      reason(
        "UNITS_UNSUPPORTED",
        "Units",
        first.Units ?? null,
        `Units must be BQML, CNTS or GML for SUV, got ${JSON.stringify(first.Units ?? null)}`,
      ),
    );
  }

  // --- Corrections
  const corrected = correctedImageList(first.CorrectedImage);
  if (!corrected.includes("ATTN") || !corrected.includes("DECY")) {
    reasons.push(
      reason(
        "NOT_ATTN_DECY_CORRECTED",
        "CorrectedImage",
        corrected,
        `CorrectedImage must contain ATTN and DECY, got ${JSON.stringify(corrected.join("\\"))}`,
      ),
    );
  }

  // --- Weight (kg; > 1000 → grams, IBSI rule)
  let weightKg: number | null = null;
  const w = num(first.PatientWeight);
  if (units !== "GML" || w !== null) {
    if (w === null || w === 0) {
      if (units !== "GML")
        reasons.push(
          reason(
            "WEIGHT_MISSING",
            "PatientWeight",
            first.PatientWeight ?? null,
            `PatientWeight is missing or 0 (treated as missing), got ${String(first.PatientWeight ?? null)}`,
          ),
        );
    } else if (Number.isNaN(w) || w < 0) {
      reasons.push(
        reason(
          "WEIGHT_INVALID",
          "PatientWeight",
          first.PatientWeight ?? null,
          `PatientWeight must be a number > 0 kg, got ${String(first.PatientWeight)}`,
        ),
      );
    } else if (w > 1000) {
      weightKg = w / 1000;
      warnings.push(
        reason(
          "WEIGHT_IN_GRAMS",
          "PatientWeight",
          w,
          `PatientWeight ${w} > 1000 taken as grams: ${weightKg} kg`,
        ),
      );
    } else weightKg = w;
  }

  // --- Decay correction mode
  const decayCorrection = (str(first.DecayCorrection) ?? "").toUpperCase() || null;
  const needsDose = units === "BQML" || (units === "CNTS" && philipsSuv === null);
  const noneOk = decayCorrection === "NONE" && units === "BQML";
  if (needsDose && decayCorrection !== "START" && decayCorrection !== "ADMIN" && !noneOk) {
    reasons.push(
      reason(
        "DECAY_CORRECTION_UNSUPPORTED",
        "DecayCorrection",
        first.DecayCorrection ?? null,
        `DecayCorrection must be START or ADMIN (or NONE for BQML), got ${JSON.stringify(first.DecayCorrection ?? null)}`,
      ),
    );
  }

  // --- Dose (Bq; small values are MBq) and half-life
  let doseBq: number | null = null;
  let halfLife: number | null = null;
  const needDoseForLibrary = units === "BQML" || units === "CNTS";
  if (needDoseForLibrary) {
    const d = num(first.RadionuclideTotalDose);
    if (d === null) {
      reasons.push(
        reason(
          "DOSE_MISSING",
          "RadionuclideTotalDose",
          null,
          "RadionuclideTotalDose is missing, got null",
        ),
      );
    } else if (Number.isNaN(d) || d <= 0) {
      reasons.push(
        reason(
          "DOSE_INVALID",
          "RadionuclideTotalDose",
          first.RadionuclideTotalDose ?? null,
          `RadionuclideTotalDose must be > 0 Bq, got ${String(first.RadionuclideTotalDose)}`,
        ),
      );
    } else if (d < 1e5) {
      doseBq = d * 1e6;
      warnings.push(
        reason(
          "DOSE_IN_MBQ",
          "RadionuclideTotalDose",
          d,
          `RadionuclideTotalDose ${d} < 1e5 taken as MBq: ${doseBq} Bq`,
        ),
      );
    } else doseBq = d;
    const h = num(first.RadionuclideHalfLife);
    if (h === null && nuclide !== null) {
      halfLife = nuclide.halfLifeS;
      warnings.push(
        reason(
          "HALF_LIFE_FROM_TABLE",
          "RadionuclideHalfLife",
          null,
          `RadionuclideHalfLife missing: ${nuclide.halfLifeS} s from the nuclide table for ${nuclide.id} (${nuclide.source})`,
        ),
      );
    } else if (h === null) {
      reasons.push(
        reason(
          "HALF_LIFE_MISSING",
          "RadionuclideHalfLife",
          null,
          "RadionuclideHalfLife is missing, got null",
        ),
      );
    } else if (Number.isNaN(h) || h <= 0) {
      reasons.push(
        reason(
          "HALF_LIFE_INVALID",
          "RadionuclideHalfLife",
          first.RadionuclideHalfLife ?? null,
          `RadionuclideHalfLife must be > 0 s, got ${String(first.RadionuclideHalfLife)}`,
        ),
      );
    } else {
      halfLife = h;
      if (nuclide !== null) {
        const known = [nuclide, ...nuclide.alternatives].map((e) => e.halfLifeS);
        if (known.every((k) => Math.abs(h - k) / k > 0.01)) {
          warnings.push(
            reason(
              "HALF_LIFE_MISMATCH",
              "RadionuclideHalfLife",
              h,
              `RadionuclideHalfLife ${h} s differs by > 1 % from every tabulated value for ${nuclide.id} (${known.join(", ")} s); the header value is used (suv.md §2.5 pitfall 9)`,
            ),
          );
        }
      }
    }
  }

  // --- Times (suv.md §2.2 referenceTime / injectionTime)
  let refS: number | null = null;
  let refSource: ReferenceTimeSource | null = null;
  let injS: number | null = null;
  let startDateTimeForLibrary: string | null = null;
  const acqS: number[] = [];
  const needTimesForLibrary = needDoseForLibrary && decayCorrection !== "ADMIN";
  if (needTimesForLibrary) {
    const timeReasons = reasons.length;
    const seriesDate = parseDate(first, "SeriesDate", reasons);
    const seriesTime = parseTime(first, "SeriesTime", reasons);
    let earliest = Number.POSITIVE_INFINITY;
    let earliestIndex = 0;
    for (let i = 0; i < list.length; i++) {
      const inst = list[i]!;
      const ad = parseDate(inst, "AcquisitionDate", reasons);
      const at = parseTime(inst, "AcquisitionTime", reasons);
      if (ad === null || at === null) break;
      acqS.push(ad + at);
      if (ad + at < earliest) {
        earliest = ad + at;
        earliestIndex = i;
      }
    }
    if (reasons.length === timeReasons && seriesDate !== null && seriesTime !== null) {
      const seriesDT = seriesDate + seriesTime;
      if (seriesDT <= earliest) {
        refS = seriesDT;
        refSource = "SeriesDateTime";
      } else {
        const ge = str(first.GEPrivatePostInjectionDateTime);
        const geS = ge === null ? null : parseDtSeconds(ge);
        if (geS !== null) {
          refS = geS;
          refSource = "GEPrivatePostInjectionDateTime";
        } else {
          refS = earliest;
          refSource = "EarliestAcquisition";
          warnings.push(
            reason(
              "SERIES_TIME_AFTER_ACQUISITION",
              "SeriesTime",
              first.SeriesTime ?? null,
              `Series date/time ${formatWallClock(seriesDT)} is after the earliest acquisition ${formatWallClock(earliest)} (post-processed series?): the earliest acquisition is used (QIBA step 3, suv.md §2.2); check for cropping (pitfall 3)`,
            ),
          );
        }
      }
      if (
        referenceTimePolicy === "backCompute" &&
        decayCorrection === "START" &&
        halfLife !== null
      ) {
        const inst = list[earliestIndex]!;
        const frt = num(inst.FrameReferenceTime);
        const dur = num(inst.ActualFrameDuration);
        const badFrt = frt === null || Number.isNaN(frt) || frt < 0;
        if (badFrt || dur === null || Number.isNaN(dur) || dur <= 0) {
          reasons.push(
            reason(
              "FRAME_TIMING_MISSING",
              badFrt ? "FrameReferenceTime" : "ActualFrameDuration",
              badFrt ? (inst.FrameReferenceTime ?? null) : (inst.ActualFrameDuration ?? null),
              `referenceTimePolicy backCompute needs FrameReferenceTime >= 0 ms and ActualFrameDuration > 0 ms on instance ${earliestIndex}, got ${String(inst.FrameReferenceTime ?? null)} / ${String(inst.ActualFrameDuration ?? null)}`,
            ),
          );
        } else {
          refS = earliest + averageCountRateTimeS(dur / 1000, halfLife) - frt! / 1000;
          refSource = "BackComputedFrameTiming";
        }
      }
      if (Math.abs(seriesDT - earliest) > 12 * 3600) {
        warnings.push(
          reason(
            "REFERENCE_TIME_SUSPECT",
            "SeriesDate",
            first.SeriesDate ?? null,
            `Series date/time ${formatWallClock(seriesDT)} and earliest acquisition ${formatWallClock(earliest)} differ by more than 12 h`,
          ),
        );
      }
      // injection time
      const sdt = str(first.RadiopharmaceuticalStartDateTime);
      const st = str(first.RadiopharmaceuticalStartTime);
      if (sdt !== null && parseDtSeconds(sdt) !== null) {
        injS = parseDtSeconds(sdt);
      } else if (st !== null && parseTmSeconds(st) !== null) {
        injS = seriesDate + parseTmSeconds(st)!;
        if (injS > refS) {
          injS -= 86400;
          startDateTimeForLibrary = formatDt(injS);
          warnings.push(
            reason(
              "MIDNIGHT_ROLLOVER",
              "RadiopharmaceuticalStartTime",
              st,
              `RadiopharmaceuticalStartTime ${st} is after the reference time on SeriesDate: injection taken as the previous day (${formatWallClock(injS)}), suv.md §2.5 pitfall 1`,
            ),
          );
        }
      } else {
        reasons.push(
          reason(
            "INJECTION_TIME_MISSING",
            "RadiopharmaceuticalStartDateTime",
            sdt ?? st,
            `RadiopharmaceuticalStartDateTime or RadiopharmaceuticalStartTime must be a valid DT/TM, got ${JSON.stringify(sdt ?? st)}`,
          ),
        );
      }
      const firstAcq = decayCorrection === "NONE" ? earliest : refS;
      if (injS !== null && firstAcq !== null && firstAcq - injS < 0) {
        reasons.push(
          reason(
            "DECAY_TIME_NEGATIVE",
            "RadiopharmaceuticalStartDateTime",
            sdt,
            `injection (${formatWallClock(injS)}) is after the reference time (${formatWallClock(firstAcq)}): decay time ${firstAcq - injS} s must be >= 0`,
          ),
        );
      }
    }
  }

  // --- Body size (height in m → cm)
  const sexRaw = (str(first.PatientSex) ?? "").toUpperCase();
  const hM = num(first.PatientSize);
  const heightM = hM !== null && Number.isFinite(hM) && hM >= 0.3 && hM <= 3 ? hM : null;
  if (hM !== null && heightM === null && hM !== 0) {
    warnings.push(
      reason(
        "BODY_SIZE_UNAVAILABLE",
        "PatientSize",
        first.PatientSize ?? null,
        `PatientSize must be in metres (0.3–3), got ${String(first.PatientSize)}: SUL/SUVbsa/SUVibw not computed`,
      ),
    );
  }

  const inputsBase = {
    units,
    decayCorrection,
    weightKg,
    heightM,
    sex: sexRaw === "" ? null : sexRaw,
    injectedDoseBq: doseBq,
    halfLifeS: halfLife,
    referenceTime: refS === null ? null : formatWallClock(refS),
    referenceTimeSource: refSource,
    injectionTime: injS === null ? null : formatWallClock(injS),
    lbmFormulas: { sulJames: "LBMJAMES128", sulJanma: "LBMJANMA" } as const,
    otherSexPolicy,
    referenceTimePolicy,
  };

  if (reasons.length > 0)
    return { ok: false, reasons, warnings, activityConcentrationPerUnit: activityPerUnit };

  // --- SUVbw factor per instance
  let perInstance: number[];
  let method: SuvMethod;
  let decayS: number | null = null;
  let library: string | null = LIBRARY;
  if (units === "GML") {
    // Already SUVbw (SUV Type assumed BW, suv.md §1): factor 1. Same as the library's GML branch,
    // which would additionally (and needlessly) require dose and times.
    perInstance = list.map(() => 1);
    method = "GML_ALREADY_SUV";
    library = null;
  } else if (decayCorrection === "ADMIN" && philipsSuv !== null) {
    perInstance = philipsSuv;
    method = "CNTS_PHILIPS_SUV_SCALE";
    decayS = 0;
    library = null;
  } else if (decayCorrection === "ADMIN") {
    // Image decay-corrected to administration: factor = acsf · W_g / A (no decay; suv.md §2.2).
    perInstance = list.map(
      (_, i) => ((weightKg! * 1000) / doseBq!) * (philipsAcsf === null ? 1 : philipsAcsf[i]!),
    );
    method = units === "BQML" ? "BQML_ADMIN" : "CNTS_PHILIPS_ACTIVITY_SCALE";
    decayS = 0;
    library = null;
  } else if (units === "BQML" && decayCorrection === "NONE") {
    // suv.md §2.4: SUVbw = C · W/A · (λT / (1 − e^(−λT))) · e^(λ(t_acq − t_adm)), per frame.
    const lambda = Math.LN2 / halfLife!;
    perInstance = [];
    for (let i = 0; i < list.length; i++) {
      const dur = num(list[i]!.ActualFrameDuration);
      if (dur === null || Number.isNaN(dur) || dur <= 0) {
        return {
          ok: false,
          reasons: [
            reason(
              "FRAME_TIMING_MISSING",
              "ActualFrameDuration",
              list[i]!.ActualFrameDuration ?? null,
              `DecayCorrection NONE needs ActualFrameDuration > 0 ms on every instance, got ${String(list[i]!.ActualFrameDuration ?? null)} on instance ${i}`,
            ),
          ],
          warnings,
          activityConcentrationPerUnit: activityPerUnit,
        };
      }
      const lt = (lambda * dur) / 1000;
      const duringFrame = lt < 1e-12 ? 1 : lt / -Math.expm1(-lt);
      perInstance.push(
        ((weightKg! * 1000) / doseBq!) * duringFrame * Math.exp(lambda * (acqS[i]! - injS!)),
      );
    }
    method = "BQML_NONE_PER_FRAME";
    decayS = acqS[0]! - injS!;
    library = null;
  } else if (refSource === "BackComputedFrameTiming" && philipsSuv === null) {
    decayS = refS! - injS!;
    const base = (weightKg! * 1000) / (doseBq! * Math.pow(2, -decayS / halfLife!));
    perInstance = list.map((_, i) => base * (philipsAcsf === null ? 1 : philipsAcsf[i]!));
    method = philipsAcsf === null ? "BQML_START_BACK_COMPUTED" : "CNTS_PHILIPS_ACTIVITY_SCALE";
    library = null;
  } else {
    const libInput: InstanceMetadata[] = list.map((s) =>
      toLibrary(s, {
        weightKg,
        doseBq,
        halfLife,
        heightM,
        sexRaw,
        startDateTimeForLibrary,
        units,
        corrected,
        decayCorrection,
      }),
    );
    let lib: { suvbw: number }[];
    try {
      lib = calculateSUVScalingFactors(libInput);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return {
        ok: false,
        reasons: [
          reason("LIBRARY_ERROR", "instances", null, `${LIBRARY} refused the series: ${msg}`),
        ],
        warnings,
        activityConcentrationPerUnit: activityPerUnit,
      };
    }
    perInstance = lib.map((r) => r.suvbw);
    {
      decayS = refS! - injS!;
      method =
        units === "BQML"
          ? "BQML_START"
          : philipsSuv !== null
            ? "CNTS_PHILIPS_SUV_SCALE"
            : "CNTS_PHILIPS_ACTIVITY_SCALE";
      if (method !== "CNTS_PHILIPS_SUV_SCALE") {
        // Independent cross-check: factor = acsf · W_g / (A · 2^(−Δt/T½)) ⇒ implied Δt.
        for (let i = 0; i < perInstance.length; i++) {
          const acsf = method === "BQML_START" ? 1 : philipsAcsf![i]!;
          const implied =
            halfLife! * Math.log2((perInstance[i]! * doseBq!) / (acsf * weightKg! * 1000));
          if (!Number.isFinite(implied) || Math.abs(implied - decayS) > LIBRARY_TOLERANCE_S) {
            return {
              ok: false,
              reasons: [
                reason(
                  "LIBRARY_MISMATCH",
                  "instances",
                  perInstance[i]!,
                  `${LIBRARY} factor ${perInstance[i]} for instance ${i} implies a decay time of ${implied} s, independent computation gives ${decayS} s`,
                ),
              ],
              warnings,
              activityConcentrationPerUnit: activityPerUnit,
            };
          }
        }
      }
    }
  }

  // --- SUL / SUVbsa / SUVibw (suv.md §1.1), all as SUVbw factor × body-size ratio
  const suvbw = perInstance[0]!;
  const extra: { sulJames?: number; sulJanma?: number; suvbsa?: number; suvibw?: number } = {};
  if (weightKg !== null && heightM !== null) {
    const hCm = heightM * 100;
    extra.suvbsa = (suvbw * bsaDuBoisM2(weightKg, hCm) * 10000) / (weightKg * 1000);
    const sexes: Sex[] | null =
      sexRaw === "M" || sexRaw === "F"
        ? [sexRaw]
        : sexRaw === "O" && otherSexPolicy === "mean"
          ? ["M", "F"]
          : null;
    if (sexes !== null) {
      const mean = (f: (s: Sex) => number): number =>
        sexes.reduce((a, s) => a + f(s), 0) / sexes.length;
      extra.sulJames = (suvbw * mean((s) => lbmJamesKg(weightKg, hCm, s))) / weightKg;
      extra.sulJanma = (suvbw * mean((s) => lbmJanmahasatianKg(weightKg, hCm, s))) / weightKg;
      extra.suvibw = (suvbw * mean((s) => ibwKg(hCm, s))) / weightKg;
      if (sexes.length === 2) {
        warnings.push(
          reason(
            "SEX_OTHER_MEAN",
            "PatientSex",
            sexRaw,
            "PatientSex O: SUL and SUVibw use the mean of the male and female formulas (IBSI suggestion, suv.md §1.1)",
          ),
        );
      }
    } else {
      warnings.push(
        reason(
          "BODY_SIZE_UNAVAILABLE",
          "PatientSex",
          first.PatientSex ?? null,
          `PatientSex must be M or F for SUL/SUVibw (policy ${otherSexPolicy}), got ${JSON.stringify(first.PatientSex ?? null)}`,
        ),
      );
    }
  } else if (heightM === null) {
    warnings.push(
      reason(
        "BODY_SIZE_UNAVAILABLE",
        "PatientSize",
        first.PatientSize ?? null,
        `PatientSize (m) is needed for SUL/SUVbsa/SUVibw, got ${String(first.PatientSize ?? null)}`,
      ),
    );
  }

  return {
    ok: true,
    suvbw,
    suvbwPerInstance: perInstance,
    ...extra,
    decayS,
    method,
    activityConcentrationPerUnit: activityPerUnit,
    inputs: { ...inputsBase, library },
    warnings,
  };
}

function parseDate(
  inst: PetSuvMetadata,
  key: "SeriesDate" | "AcquisitionDate",
  reasons: SuvReason[],
): number | null {
  const v = str(inst[key]);
  if (v === null) {
    if (!reasons.some((r) => r.attribute === key))
      reasons.push(
        reason("TIME_MISSING", key, null, `${key} is missing, got ${String(inst[key] ?? null)}`),
      );
    return null;
  }
  const s = parseDaSeconds(v);
  if (s === null)
    reasons.push(
      reason(
        "TIME_INVALID",
        key,
        v,
        `${key} must be a DICOM DA (YYYYMMDD), got ${JSON.stringify(v)}`,
      ),
    );
  return s;
}

function parseTime(
  inst: PetSuvMetadata,
  key: "SeriesTime" | "AcquisitionTime",
  reasons: SuvReason[],
): number | null {
  const v = str(inst[key]);
  if (v === null) {
    if (!reasons.some((r) => r.attribute === key))
      reasons.push(
        reason("TIME_MISSING", key, null, `${key} is missing, got ${String(inst[key] ?? null)}`),
      );
    return null;
  }
  const s = parseTmSeconds(v);
  if (s === null)
    reasons.push(
      reason(
        "TIME_INVALID",
        key,
        v,
        `${key} must be a DICOM TM (HHMMSS.FFFFFF), got ${JSON.stringify(v)}`,
      ),
    );
  return s;
}

interface Normalised {
  weightKg: number | null;
  doseBq: number | null;
  halfLife: number | null;
  heightM: number | null;
  sexRaw: string;
  startDateTimeForLibrary: string | null;
  units: string;
  corrected: string[];
  decayCorrection: string | null;
}

/** Builds the library's input from validated, normalised values (numbers parsed, units fixed). */
function toLibrary(s: PetSuvMetadata, n: Normalised): InstanceMetadata {
  const m: InstanceMetadata = {
    CorrectedImage: n.corrected,
    Units: n.units,
    RadionuclideHalfLife: n.halfLife ?? 0,
    RadionuclideTotalDose: n.doseBq ?? 0,
    DecayCorrection: n.decayCorrection ?? "",
    PatientWeight: n.weightKg ?? 0,
    SeriesDate: str(s.SeriesDate) ?? "",
    SeriesTime: str(s.SeriesTime) ?? "",
    AcquisitionDate: str(s.AcquisitionDate) ?? "",
    AcquisitionTime: str(s.AcquisitionTime) ?? "",
  };
  const sdt = n.startDateTimeForLibrary ?? str(s.RadiopharmaceuticalStartDateTime);
  if (sdt !== null) m.RadiopharmaceuticalStartDateTime = sdt;
  const st = str(s.RadiopharmaceuticalStartTime);
  if (st !== null) m.RadiopharmaceuticalStartTime = st;
  const ge = str(s.GEPrivatePostInjectionDateTime);
  if (ge !== null) m.GEPrivatePostInjectionDateTime = ge;
  const p = s.PhilipsPETPrivateGroup;
  if (p) {
    const suvF = num(p.SUVScaleFactor);
    const acF = num(p.ActivityConcentrationScaleFactor);
    m.PhilipsPETPrivateGroup = {
      SUVScaleFactor: suvF !== null && Number.isFinite(suvF) && suvF !== 0 ? suvF : undefined,
      ActivityConcentrationScaleFactor:
        acF !== null && Number.isFinite(acF) && acF !== 0 ? acF : undefined,
    };
  }
  // Size/sex only when the library can use them (it throws on sex "O"); SUL is computed here anyway.
  if (n.heightM !== null && (n.sexRaw === "M" || n.sexRaw === "F")) {
    m.PatientSize = n.heightM;
    m.PatientSex = n.sexRaw;
  }
  return m;
}

/**
 * Time within a frame of duration T at which the instantaneous count rate equals the frame
 * average: T_ave = (1/λ) · ln(λT / (1 − e^(−λT))) (suv.md §2.3; ≈ T/2 for λT → 0).
 */
function averageCountRateTimeS(frameDurationS: number, halfLifeS: number): number {
  const lambda = Math.LN2 / halfLifeS;
  const lt = lambda * frameDurationS;
  if (lt < 1e-12) return frameDurationS / 2;
  return Math.log(lt / -Math.expm1(-lt)) / lambda;
}
