/**
 * PET/SPECT quantitative QA gate: decides whether a series' header can support SUV, following
 * the vendor-neutral procedure and pitfalls of /shared/reference/suv.md §2 (QIBA pseudo-code,
 * IBSI SUV manual). Never throws: every problem is a {@link Finding}.
 *
 * Decay-time policy (documented contract, see {@link DecayTimePolicy}): the time from
 * administration to the reference time is judged in half-lives of the nuclide, because 177Lu
 * and 90Y post-therapy scans are legitimately days after administration while an 18F or 68Ga
 * scan a day later is an error.
 */
import type { Finding } from "./findings.js";
import { identifyNuclide, nuclideFromHalfLife, type NuclideInfo } from "./nuclides.js";
import type { DicomInstance } from "./parse.js";
import { extractPetMetadata, type PetInstanceMetadata } from "./pet-metadata.js";
import {
  combineDateTime,
  formatDicomDateTime,
  parseDicomDate,
  parseDicomDateTime,
  parseDicomTime,
} from "./values.js";

/** Limits on the administration → reference-time interval Δt. */
export interface DecayTimePolicy {
  /** WARNING when Δt exceeds this many half-lives (default 5: 18F 9.1 h, 68Ga 5.6 h, 177Lu 33 d, 90Y 13.3 d). */
  warnAfterHalfLives: number;
  /** BLOCKING when Δt exceeds this many half-lives (default 10: 18F 18.3 h, 68Ga 11.3 h, 177Lu 66 d, 90Y 26.7 d). */
  blockAfterHalfLives: number;
  /** BLOCKING above this Δt (hours) when no half-life is known at all (default 24). */
  maxHoursUnknownHalfLife: number;
  /** A negative Δt down to −this many seconds is a WARNING (clock drift), beyond it BLOCKING (default 120). */
  clockDriftToleranceS: number;
  /**
   * Half-life (s) above which an injection time without a date (Radiopharmaceutical Start Time only)
   * is BLOCKING rather than a WARNING, because the date cannot be assumed (default 86 400 = 1 day).
   */
  dateRequiredAboveHalfLifeS: number;
}

/** Default {@link DecayTimePolicy}. */
export const DEFAULT_DECAY_TIME_POLICY: Readonly<DecayTimePolicy> = Object.freeze({
  warnAfterHalfLives: 5,
  blockAfterHalfLives: 10,
  maxHoursUnknownHalfLife: 24,
  clockDriftToleranceS: 120,
  dateRequiredAboveHalfLifeS: 86400,
});

/** Explicit values that replace (or supply) header values; every use is reported for audit. */
export interface PetQaOverrides {
  /** kg. */
  PatientWeight?: number;
  /** m. */
  PatientSize?: number;
  /** Administered activity, Bq (net of residue if known). */
  RadionuclideTotalDose?: number;
  /** s. */
  RadionuclideHalfLife?: number;
  /** DICOM DT `YYYYMMDDHHMMSS[.FFFFFF]`. */
  RadiopharmaceuticalStartDateTime?: string;
  /** Units (0054,1001) to assume, e.g. `BQML`. */
  Units?: string;
  /** Reference (decay-correction) DT to use instead of Series Date/Time, e.g. when Series Time was rewritten. */
  ReferenceDateTime?: string;
  /** SPECT calibration factor (counts per second per MBq) for Units CNTS. */
  calibrationFactorCpsPerMBq?: number;
}

/** One override that was applied. */
export interface AppliedOverride {
  key: keyof PetQaOverrides;
  /** The override value used. */
  value: number | string;
  /** The header value it replaced (first instance), or `null` if absent. */
  headerValue: unknown;
}

/** Options for {@link runPetQa}. */
export interface PetQaOptions {
  overrides?: PetQaOverrides;
  policy?: Partial<DecayTimePolicy>;
  /**
   * How the decay-correction reference time is found (suv.md §2.2):
   * `qiba` (default) — Series Date/Time unless after the first acquisition, then the GE private
   * scan time, then the earliest Acquisition Date/Time;
   * `back-computed` — from the earliest frame's Acquisition Date/Time, Actual Frame Duration and
   * Frame Reference Time (suv.md §2.3, recommended by the IBSI authors for research data because
   * it survives rewritten Series Time); falls back to `qiba` with a WARNING when those are absent.
   * With `back-computed`, effective Series Date/Time are replaced by the reference so SUV
   * calculators that start from Series Time use the same instant.
   */
  referenceTimeMethod?: "qiba" | "back-computed";
}

/**
 * Time after the start of a frame at which the instantaneous count rate of a decaying source
 * equals the frame's average rate: T_ave = (1/λ)·ln(λT / (1 − e^(−λT))), λ = ln 2 / T½
 * (suv.md §2.3, IBSI manual citing the QIBA pseudo-code).
 *
 * @param frameDurationS - frame length T in seconds (Actual Frame Duration (0018,1242) / 1000).
 * @param halfLifeS - half-life in seconds.
 * @returns T_ave in seconds (just under T/2 for a decaying source; T/2 in the limit λT → 0).
 * @throws RangeError if an argument is not a positive finite number.
 */
export function frameAverageTimeS(frameDurationS: number, halfLifeS: number): number {
  if (!(frameDurationS > 0 && Number.isFinite(frameDurationS)))
    throw new RangeError(`frameDurationS must be > 0, got ${frameDurationS}`);
  if (!(halfLifeS > 0 && Number.isFinite(halfLifeS)))
    throw new RangeError(`halfLifeS must be > 0, got ${halfLifeS}`);
  const lt = (Math.LN2 / halfLifeS) * frameDurationS;
  if (lt < 1e-9) return frameDurationS / 2;
  return (halfLifeS / Math.LN2) * Math.log(lt / -Math.expm1(-lt));
}

/** Output of {@link runPetQa}. */
export interface PetQaResult {
  findings: Finding[];
  /** True if any finding is BLOCKING. */
  blocking: boolean;
  overridesApplied: AppliedOverride[];
  /**
   * Per-instance metadata after overrides and normalisation (weight in kg, dose in Bq,
   * half-life filled from the nuclide table if missing, RadiopharmaceuticalStartDateTime
   * resolved to a full DT, Series Date/Time replaced by an overriding ReferenceDateTime).
   * Field names match calculate-suv's InstanceMetadata.
   */
  effective: PetInstanceMetadata[];
  /** Identified nuclide, if any. */
  nuclide: NuclideInfo | undefined;
  /** Half-life used (s). */
  halfLifeS: number | undefined;
  /** Reference time (DT) the images are decay-corrected to (Decay Correction START). */
  referenceDateTime: string | undefined;
  /** How the reference time was chosen. */
  referenceTimeSource:
    "series" | "ge-private" | "earliest-acquisition" | "back-computed" | "override" | undefined;
  /** Administration time (DT) used. */
  injectionDateTime: string | undefined;
  /** Δt = reference − administration, s. */
  decayTimeS: number | undefined;
  /** The policy applied. */
  policy: DecayTimePolicy;
}

const T = {
  weight: "PatientWeight (0010,1030)",
  size: "PatientSize (0010,1020)",
  dose: "RadionuclideTotalDose (0018,1074)",
  halfLife: "RadionuclideHalfLife (0018,1075)",
  startTime: "RadiopharmaceuticalStartTime (0018,1072)",
  startDateTime: "RadiopharmaceuticalStartDateTime (0018,1078)",
  units: "Units (0054,1001)",
  corrected: "CorrectedImage (0028,0051)",
  decayCorrection: "DecayCorrection (0054,1102)",
  seriesDate: "SeriesDate (0008,0021)",
  seriesTime: "SeriesTime (0008,0031)",
  acqTime: "AcquisitionTime (0008,0032)",
  modality: "Modality (0008,0060)",
  intercept: "RescaleIntercept (0028,1052)",
  ge: "GE scan DateTime (0009,xx0D) GEMS_PETD_01",
  siemens: "Siemens decay correction DateTime (0071,xx22)",
  philips: "Philips SUV/Activity Concentration Scale Factor (7053,xx00/xx09)",
  duration: "ActualFrameDuration (0018,1242)",
  calibration: "calibrationFactorCpsPerMBq",
  decayTime: "administration to reference time (derived)",
} as const;

const CONSISTENCY: readonly [keyof PetInstanceMetadata, string][] = [
  ["PatientWeight", T.weight],
  ["PatientSize", T.size],
  ["RadionuclideTotalDose", T.dose],
  ["RadionuclideHalfLife", T.halfLife],
  ["Units", T.units],
  ["DecayCorrection", T.decayCorrection],
  ["SeriesDate", T.seriesDate],
  ["SeriesTime", T.seriesTime],
  ["RadiopharmaceuticalStartTime", T.startTime],
  ["RadiopharmaceuticalStartDateTime", T.startDateTime],
  ["CorrectedImage", T.corrected],
];

const fmt = (v: unknown): string =>
  v === undefined || v === null ? "absent" : Array.isArray(v) ? v.join("\\") : String(v);
const fmtHours = (s: number): string =>
  Math.abs(s) >= 86400 ? `${(s / 86400).toFixed(2)} d` : `${(s / 3600).toFixed(2)} h`;

function isDicomInstance(x: PetInstanceMetadata | DicomInstance): x is DicomInstance {
  return typeof x === "object" && x !== null && "dataSet" in x && "transferSyntax" in x;
}

/**
 * Runs the PET/SPECT SUV QA gate on the instances of one series.
 *
 * Checks (code → severity): NO_INSTANCES, MODALITY_NOT_QUANTITATIVE, WEIGHT_MISSING/ZERO (B),
 * WEIGHT_IN_GRAMS, WEIGHT_IMPLAUSIBLE (W), DOSE_MISSING/NONPOSITIVE (B), DOSE_ASSUMED_MBQ (W),
 * HALF_LIFE_MISSING (B) / HALF_LIFE_FROM_TABLE / HALF_LIFE_MISMATCH (W), UNITS_MISSING /
 * UNITS_UNSUPPORTED (B), PHILIPS_CNTS_FACTORS_MISSING (B) / PHILIPS_CNTS_PRIVATE_FACTOR (W),
 * SPECT_CALIBRATION_MISSING (B), ATTENUATION_CORRECTION_MISSING / DECAY_CORRECTION_NOT_APPLIED (B
 * for PET), DECAY_CORRECTION_MISSING / DECAY_CORRECTION_UNSUPPORTED (B), SERIES_DATETIME_MISSING,
 * INJECTION_TIME_MISSING (B), INJECTION_DATE_ASSUMED (W, or B for long-lived nuclides),
 * SERIES_TIME_AFTER_ACQUISITION (W), SERIES_ACQUISITION_DATE_MISMATCH (W),
 * GE_PRIVATE_SCAN_TIME_DIFFERS / SIEMENS_DECAY_TIME_DIFFERS (W), DECAY_TIME_NEGATIVE (B or W within
 * clock-drift tolerance), DECAY_TIME_LONG (W) / DECAY_TIME_IMPLAUSIBLE (B) per {@link DecayTimePolicy},
 * INCONSISTENT_ACROSS_INSTANCES (B), RESCALE_INTERCEPT_NONZERO (B), DS_EXPONENT_FORM (W),
 * TIMEZONE_OFFSET_PRESENT (W), START_TIME_MISMATCH (W, Start DateTime and Start Time > 60 s apart),
 * FRAME_DURATION_MISSING (W, SPECT), GML_NOT_BW (W), METADATA_UNREADABLE (B), OVERRIDE_INVALID (B),
 * BACK_COMPUTATION_UNAVAILABLE / BACK_COMPUTED_REFERENCE_DIFFERS (W, with `referenceTimeMethod: "back-computed"`).
 *
 * @param instances - parsed DICOM instances or metadata records (e.g. from {@link extractPetMetadata}).
 * @param options - overrides (each reported in `overridesApplied`) and decay-time policy.
 * @returns findings, effective metadata and the derived timing. Never throws.
 */
export function runPetQa(
  instances: readonly (PetInstanceMetadata | DicomInstance)[],
  options: PetQaOptions = {},
): PetQaResult {
  const policy: DecayTimePolicy = { ...DEFAULT_DECAY_TIME_POLICY, ...options.policy };
  const findings: Finding[] = [];
  const add = (
    code: string,
    severity: Finding["severity"],
    attribute: string,
    value: unknown,
    message: string,
  ): void => {
    findings.push({
      code,
      severity,
      attribute,
      value: value === undefined ? null : value,
      message,
    });
  };
  const result = (partial: Partial<PetQaResult>): PetQaResult => ({
    findings,
    blocking: findings.some((f) => f.severity === "BLOCKING"),
    overridesApplied: [],
    effective: [],
    nuclide: undefined,
    halfLifeS: undefined,
    referenceDateTime: undefined,
    referenceTimeSource: undefined,
    injectionDateTime: undefined,
    decayTimeS: undefined,
    policy,
    ...partial,
  });

  let metas: PetInstanceMetadata[];
  try {
    metas = instances.map((i) => (isDicomInstance(i) ? extractPetMetadata(i) : { ...i }));
  } catch (e) {
    add(
      "METADATA_UNREADABLE",
      "BLOCKING",
      "(data set)",
      null,
      `metadata could not be read: ${e instanceof Error ? e.message : String(e)}`,
    );
    return result({});
  }
  const h = metas[0];
  if (h === undefined) {
    add("NO_INSTANCES", "BLOCKING", "(series)", 0, "no instances were given to the PET QA gate");
    return result({});
  }
  const name = (m: PetInstanceMetadata, i: number): string => m.sourceName ?? `instance #${i + 1}`;
  const src = name(h, 0);
  const nInst = metas.length;
  const where = nInst > 1 ? `${src} (and ${nInst - 1} more)` : src;

  // ---- consistency across instances (on header values; an override replaces the attribute on
  // every instance, so it also resolves an inconsistency of that attribute)
  const ovr = options.overrides ?? {};
  const overridden = new Set<keyof PetInstanceMetadata>();
  if (ovr.PatientWeight !== undefined) overridden.add("PatientWeight");
  if (ovr.PatientSize !== undefined) overridden.add("PatientSize");
  if (ovr.RadionuclideTotalDose !== undefined) overridden.add("RadionuclideTotalDose");
  if (ovr.RadionuclideHalfLife !== undefined) overridden.add("RadionuclideHalfLife");
  if (ovr.Units !== undefined) overridden.add("Units");
  if (ovr.RadiopharmaceuticalStartDateTime !== undefined) {
    overridden.add("RadiopharmaceuticalStartDateTime");
    overridden.add("RadiopharmaceuticalStartTime");
  }
  if (ovr.ReferenceDateTime !== undefined) {
    overridden.add("SeriesDate");
    overridden.add("SeriesTime");
  }
  for (const [key, attr] of CONSISTENCY) {
    if (overridden.has(key)) continue;
    const v0 = fmt(h[key]);
    for (let i = 1; i < nInst; i++) {
      const m = metas[i] as PetInstanceMetadata;
      const vi = fmt(m[key]);
      if (vi !== v0) {
        add(
          "INCONSISTENT_ACROSS_INSTANCES",
          "BLOCKING",
          attr,
          [h[key] ?? null, m[key] ?? null],
          `${attr} differs within the series: "${v0}" in ${src} but "${vi}" in ${name(m, i)}`,
        );
        break;
      }
    }
  }
  // ---- exponent-form DS and intercepts
  const expSeen = new Set<string>();
  metas.forEach((m, i) => {
    for (const a of m.exponentFormAttributes ?? []) {
      if (expSeen.has(a)) continue;
      expSeen.add(a);
      const key = a.split(" ")[0] ?? "";
      const parsed =
        key === "PhilipsSUVScaleFactor"
          ? m.PhilipsPETPrivateGroup?.SUVScaleFactor
          : key === "PhilipsActivityConcentrationScaleFactor"
            ? m.PhilipsPETPrivateGroup?.ActivityConcentrationScaleFactor
            : m[key as keyof PetInstanceMetadata];
      add(
        "DS_EXPONENT_FORM",
        "WARNING",
        a,
        parsed ?? null,
        `${a} in ${name(m, i)} is written in exponent form; parsed as ${fmt(parsed)}`,
      );
    }
    if (m.RescaleIntercept !== undefined && m.RescaleIntercept !== 0) {
      add(
        "RESCALE_INTERCEPT_NONZERO",
        "BLOCKING",
        T.intercept,
        m.RescaleIntercept,
        `${T.intercept} is ${m.RescaleIntercept} in ${name(m, i)}; PET activity images must have intercept 0 (suv.md §2.1)`,
      );
    }
  });

  // ---- overrides
  const ov = options.overrides ?? {};
  const applied: AppliedOverride[] = [];
  const eff: PetInstanceMetadata[] = metas.map((m) => ({ ...m }));
  const setAll = (f: (m: PetInstanceMetadata) => void): void => eff.forEach(f);
  const positive = (k: keyof PetQaOverrides, v: number | undefined): v is number => {
    if (v === undefined) return false;
    if (!(typeof v === "number" && Number.isFinite(v) && v > 0)) {
      add(
        "OVERRIDE_INVALID",
        "BLOCKING",
        `override ${k}`,
        v,
        `override ${k} must be a positive finite number, got ${String(v)}`,
      );
      return false;
    }
    return true;
  };
  if (positive("PatientWeight", ov.PatientWeight)) {
    applied.push({
      key: "PatientWeight",
      value: ov.PatientWeight,
      headerValue: h.PatientWeight ?? null,
    });
    const w = ov.PatientWeight;
    setAll((m) => (m.PatientWeight = w));
  }
  if (positive("PatientSize", ov.PatientSize)) {
    applied.push({ key: "PatientSize", value: ov.PatientSize, headerValue: h.PatientSize ?? null });
    const s = ov.PatientSize;
    setAll((m) => (m.PatientSize = s));
  }
  if (positive("RadionuclideTotalDose", ov.RadionuclideTotalDose)) {
    applied.push({
      key: "RadionuclideTotalDose",
      value: ov.RadionuclideTotalDose,
      headerValue: h.RadionuclideTotalDose ?? null,
    });
    const d = ov.RadionuclideTotalDose;
    setAll((m) => (m.RadionuclideTotalDose = d));
  }
  if (positive("RadionuclideHalfLife", ov.RadionuclideHalfLife)) {
    applied.push({
      key: "RadionuclideHalfLife",
      value: ov.RadionuclideHalfLife,
      headerValue: h.RadionuclideHalfLife ?? null,
    });
    const t = ov.RadionuclideHalfLife;
    setAll((m) => (m.RadionuclideHalfLife = t));
  }
  if (ov.RadiopharmaceuticalStartDateTime !== undefined) {
    if (
      parseDicomDateTime(ov.RadiopharmaceuticalStartDateTime) === undefined ||
      ov.RadiopharmaceuticalStartDateTime.replace(/\D/g, "").length < 12
    ) {
      add(
        "OVERRIDE_INVALID",
        "BLOCKING",
        "override RadiopharmaceuticalStartDateTime",
        ov.RadiopharmaceuticalStartDateTime,
        `override RadiopharmaceuticalStartDateTime must be a DICOM DT with date and time (YYYYMMDDHHMM[SS]), got "${ov.RadiopharmaceuticalStartDateTime}"`,
      );
    } else {
      applied.push({
        key: "RadiopharmaceuticalStartDateTime",
        value: ov.RadiopharmaceuticalStartDateTime,
        headerValue: h.RadiopharmaceuticalStartDateTime ?? h.RadiopharmaceuticalStartTime ?? null,
      });
      const v = ov.RadiopharmaceuticalStartDateTime;
      setAll((m) => (m.RadiopharmaceuticalStartDateTime = v));
    }
  }
  if (ov.Units !== undefined) {
    applied.push({ key: "Units", value: ov.Units, headerValue: h.Units ?? null });
    const u = ov.Units.trim().toUpperCase();
    setAll((m) => (m.Units = u));
  }
  let refOverride: number | undefined;
  if (ov.ReferenceDateTime !== undefined) {
    refOverride = parseDicomDateTime(ov.ReferenceDateTime);
    if (refOverride === undefined || ov.ReferenceDateTime.replace(/\D/g, "").length < 12) {
      refOverride = undefined;
      add(
        "OVERRIDE_INVALID",
        "BLOCKING",
        "override ReferenceDateTime",
        ov.ReferenceDateTime,
        `override ReferenceDateTime must be a DICOM DT with date and time, got "${ov.ReferenceDateTime}"`,
      );
    } else {
      applied.push({
        key: "ReferenceDateTime",
        value: ov.ReferenceDateTime,
        headerValue:
          h.SeriesDate !== undefined || h.SeriesTime !== undefined
            ? `${h.SeriesDate ?? ""}${h.SeriesTime ?? ""}`
            : null,
      });
      const dt = formatDicomDateTime(refOverride);
      setAll((m) => {
        m.SeriesDate = dt.slice(0, 8);
        m.SeriesTime = dt.slice(8);
      });
    }
  }
  let calibration: number | undefined;
  if (positive("calibrationFactorCpsPerMBq", ov.calibrationFactorCpsPerMBq)) {
    calibration = ov.calibrationFactorCpsPerMBq;
    applied.push({ key: "calibrationFactorCpsPerMBq", value: calibration, headerValue: null });
  }
  const e = eff[0] as PetInstanceMetadata;

  // ---- modality
  const modality = e.Modality?.toUpperCase();
  const isSpect = modality === "NM";
  if (modality !== undefined && modality !== "PT" && modality !== "NM") {
    add(
      "MODALITY_NOT_QUANTITATIVE",
      "BLOCKING",
      T.modality,
      e.Modality,
      `${where}: Modality ${e.Modality} is not PT or NM; SUV needs a PET or SPECT emission image`,
    );
  }

  // ---- weight (suv.md §2.1: > 1000 means grams, IBSI rule)
  if (e.PatientWeight === undefined) {
    add(
      "WEIGHT_MISSING",
      "BLOCKING",
      T.weight,
      null,
      `${where}: ${T.weight} is missing; SUVbw needs the body weight (override PatientWeight in kg)`,
    );
  } else if (e.PatientWeight <= 0) {
    add(
      "WEIGHT_ZERO",
      "BLOCKING",
      T.weight,
      e.PatientWeight,
      `${where}: ${T.weight} is ${e.PatientWeight} kg, treated as missing (override PatientWeight in kg)`,
    );
  } else {
    if (e.PatientWeight > 1000) {
      const kg = e.PatientWeight / 1000;
      add(
        "WEIGHT_IN_GRAMS",
        "WARNING",
        T.weight,
        e.PatientWeight,
        `${where}: ${T.weight} ${e.PatientWeight} > 1000, read as grams → ${kg} kg`,
      );
      setAll((m) => (m.PatientWeight = kg));
    }
    const kg = e.PatientWeight;
    if (kg < 2 || kg > 350)
      add(
        "WEIGHT_IMPLAUSIBLE",
        "WARNING",
        T.weight,
        kg,
        `${where}: ${T.weight} ${kg} kg is outside 2–350 kg; check the record`,
      );
  }

  // ---- dose (suv.md §2.1: MBq values occur; ~4e2 vs ~4e8 bimodal)
  if (e.RadionuclideTotalDose === undefined) {
    add(
      "DOSE_MISSING",
      "BLOCKING",
      T.dose,
      null,
      `${where}: ${T.dose} is missing from the Radiopharmaceutical Information Sequence (0054,0016) (override RadionuclideTotalDose in Bq)`,
    );
  } else if (!(e.RadionuclideTotalDose > 0)) {
    add(
      "DOSE_NONPOSITIVE",
      "BLOCKING",
      T.dose,
      e.RadionuclideTotalDose,
      `${where}: ${T.dose} is ${e.RadionuclideTotalDose} Bq; must be > 0 (override RadionuclideTotalDose in Bq)`,
    );
  } else if (e.RadionuclideTotalDose < 1e5) {
    const bq = e.RadionuclideTotalDose * 1e6;
    add(
      "DOSE_ASSUMED_MBQ",
      "WARNING",
      T.dose,
      e.RadionuclideTotalDose,
      `${where}: ${T.dose} ${e.RadionuclideTotalDose} is below 0.1 MBq if read as Bq; assumed to be MBq → ${bq} Bq`,
    );
    setAll((m) => (m.RadionuclideTotalDose = bq));
  }

  // ---- nuclide & half-life
  const nuclide =
    identifyNuclide(
      e.RadionuclideCode?.CodeMeaning,
      e.RadionuclideCode?.CodeValue,
      e.RadiopharmaceuticalName,
      e.RadiopharmaceuticalCode?.CodeMeaning,
    ) ??
    (e.RadionuclideHalfLife !== undefined
      ? nuclideFromHalfLife(e.RadionuclideHalfLife)
      : undefined);
  let halfLifeS = e.RadionuclideHalfLife;
  if (halfLifeS === undefined || !(halfLifeS > 0)) {
    if (nuclide !== undefined) {
      halfLifeS = nuclide.halfLifeS;
      add(
        "HALF_LIFE_FROM_TABLE",
        "WARNING",
        T.halfLife,
        e.RadionuclideHalfLife ?? null,
        `${where}: ${T.halfLife} is ${fmt(e.RadionuclideHalfLife)}; using ${nuclide.nuclide} ${halfLifeS} s (${nuclide.source})`,
      );
      const t = halfLifeS;
      setAll((m) => (m.RadionuclideHalfLife = t));
    } else {
      halfLifeS = undefined;
      add(
        "HALF_LIFE_MISSING",
        "BLOCKING",
        T.halfLife,
        e.RadionuclideHalfLife ?? null,
        `${where}: ${T.halfLife} is ${fmt(e.RadionuclideHalfLife)} and the nuclide cannot be identified (override RadionuclideHalfLife in s)`,
      );
    }
  } else if (
    nuclide !== undefined &&
    Math.abs(halfLifeS - nuclide.halfLifeS) > 0.01 * nuclide.halfLifeS
  ) {
    add(
      "HALF_LIFE_MISMATCH",
      "WARNING",
      T.halfLife,
      halfLifeS,
      `${where}: ${T.halfLife} ${halfLifeS} s differs by more than 1 % from ${nuclide.nuclide} ${nuclide.halfLifeS} s (${nuclide.source})`,
    );
  }

  // ---- units
  const units = e.Units?.toUpperCase();
  if (units === undefined) {
    add(
      "UNITS_MISSING",
      "BLOCKING",
      T.units,
      null,
      `${where}: ${T.units} is missing; pixel values cannot be interpreted as activity concentration (override Units)`,
    );
  } else if (units === "CNTS") {
    if (isSpect) {
      if (calibration === undefined) {
        add(
          "SPECT_CALIBRATION_MISSING",
          "BLOCKING",
          T.calibration,
          null,
          `${where}: SPECT ${T.units} CNTS needs a system calibration factor (override calibrationFactorCpsPerMBq)`,
        );
      }
      if (e.ActualFrameDuration === undefined) {
        add(
          "FRAME_DURATION_MISSING",
          "WARNING",
          T.duration,
          null,
          `${where}: ${T.duration} is missing; counts cannot be converted to count rate without the acquisition duration`,
        );
      }
    } else {
      const ok = (k: "SUVScaleFactor" | "ActivityConcentrationScaleFactor"): boolean =>
        eff.every((m) => {
          const v = m.PhilipsPETPrivateGroup?.[k];
          return v !== undefined && v !== 0;
        });
      if (ok("SUVScaleFactor") || ok("ActivityConcentrationScaleFactor")) {
        const p = e.PhilipsPETPrivateGroup;
        add(
          "PHILIPS_CNTS_PRIVATE_FACTOR",
          "WARNING",
          T.philips,
          p ?? null,
          `${where}: ${T.units} CNTS; conversion relies on the Philips private factor (SUVScaleFactor ${fmt(p?.SUVScaleFactor)}, ActivityConcentrationScaleFactor ${fmt(p?.ActivityConcentrationScaleFactor)})`,
        );
      } else {
        add(
          "PHILIPS_CNTS_FACTORS_MISSING",
          "BLOCKING",
          T.philips,
          e.PhilipsPETPrivateGroup ?? null,
          `${where}: ${T.units} is CNTS but no non-zero Philips SUV Scale Factor or Activity Concentration Scale Factor (7053,xx00/xx09) is present on every instance (private tags stripped?)`,
        );
      }
    }
  } else if (units !== "BQML" && units !== "GML") {
    add(
      "UNITS_UNSUPPORTED",
      "BLOCKING",
      T.units,
      e.Units,
      `${where}: ${T.units} "${e.Units}" is not BQML, CNTS or GML; SUV cannot be derived`,
    );
  } else if (units === "GML" && e.SUVType !== undefined && e.SUVType !== "BW") {
    add(
      "GML_NOT_BW",
      "WARNING",
      "SUVType (0054,1006)",
      e.SUVType,
      `${where}: image already in g/ml with SUV Type ${e.SUVType}, not BW`,
    );
  }

  // ---- corrections
  const ci = (e.CorrectedImage ?? []).map((s) => s.toUpperCase());
  if (!ci.includes("ATTN")) {
    add(
      "ATTENUATION_CORRECTION_MISSING",
      isSpect ? "WARNING" : "BLOCKING",
      T.corrected,
      e.CorrectedImage ?? null,
      `${where}: ${T.corrected} "${fmt(e.CorrectedImage)}" lacks ATTN: not attenuation-corrected, not quantitative`,
    );
  }
  if (!isSpect && !ci.includes("DECY")) {
    add(
      "DECAY_CORRECTION_NOT_APPLIED",
      "BLOCKING",
      T.corrected,
      e.CorrectedImage ?? null,
      `${where}: ${T.corrected} "${fmt(e.CorrectedImage)}" lacks DECY: images are not decay-corrected`,
    );
  }
  const dc = e.DecayCorrection?.toUpperCase();
  if (!isSpect) {
    if (dc === undefined)
      add(
        "DECAY_CORRECTION_MISSING",
        "BLOCKING",
        T.decayCorrection,
        null,
        `${where}: ${T.decayCorrection} is missing; the reference time of the decay correction is unknown`,
      );
    else if (dc !== "START" && dc !== "ADMIN")
      add(
        "DECAY_CORRECTION_UNSUPPORTED",
        "BLOCKING",
        T.decayCorrection,
        e.DecayCorrection,
        `${where}: ${T.decayCorrection} "${e.DecayCorrection}" is not START or ADMIN; per-frame correction (NONE) is not supported`,
      );
  }
  if (e.TimezoneOffsetFromUTC !== undefined) {
    add(
      "TIMEZONE_OFFSET_PRESENT",
      "WARNING",
      "TimezoneOffsetFromUTC (0008,0201)",
      e.TimezoneOffsetFromUTC,
      `${where}: times are local with offset ${e.TimezoneOffsetFromUTC}; check a daylight-saving change between administration and scan`,
    );
  }

  // ---- timing (needed for START, and for SPECT activity bookkeeping)
  let referenceS: number | undefined;
  let refSource: PetQaResult["referenceTimeSource"];
  const seriesS = combineDateTime(e.SeriesDate, e.SeriesTime);
  const geS = parseDicomDateTime(e.GEPrivatePostInjectionDateTime);
  let earliestAcq: number | undefined;
  for (const m of eff) {
    const a = combineDateTime(m.AcquisitionDate ?? m.SeriesDate, m.AcquisitionTime);
    if (a !== undefined && (earliestAcq === undefined || a < earliestAcq)) earliestAcq = a;
  }
  let backS: number | undefined;
  if (options.referenceTimeMethod === "back-computed" && refOverride === undefined) {
    let best: PetInstanceMetadata | undefined;
    let bestAcq: number | undefined;
    for (const m of eff) {
      const a = combineDateTime(m.AcquisitionDate ?? m.SeriesDate, m.AcquisitionTime);
      if (a !== undefined && (bestAcq === undefined || a < bestAcq)) {
        bestAcq = a;
        best = m;
      }
    }
    const dur = best?.ActualFrameDuration;
    const frt = best?.FrameReferenceTime;
    if (
      bestAcq !== undefined &&
      dur !== undefined &&
      dur > 0 &&
      frt !== undefined &&
      halfLifeS !== undefined
    ) {
      backS = bestAcq + frameAverageTimeS(dur / 1000, halfLifeS) - frt / 1000;
    } else {
      add(
        "BACK_COMPUTATION_UNAVAILABLE",
        "WARNING",
        "FrameReferenceTime (0054,1300) / ActualFrameDuration (0018,1242)",
        [frt ?? null, dur ?? null],
        `${where}: reference time cannot be back-computed (needs Acquisition Date/Time, Actual Frame Duration, Frame Reference Time and the half-life); QIBA order used instead`,
      );
    }
  }
  if (refOverride !== undefined) {
    referenceS = refOverride;
    refSource = "override";
  } else if (backS !== undefined) {
    referenceS = backS;
    refSource = "back-computed";
    if (seriesS !== undefined && Math.abs(backS - seriesS) > 60) {
      add(
        "BACK_COMPUTED_REFERENCE_DIFFERS",
        "WARNING",
        T.seriesTime,
        e.SeriesTime,
        `${where}: back-computed reference time ${formatDicomDateTime(backS).slice(0, 14)} differs from Series Date/Time by ${(backS - seriesS).toFixed(0)} s (Series Time rewritten?)`,
      );
    }
    const dt = formatDicomDateTime(backS);
    setAll((m) => {
      m.SeriesDate = dt.slice(0, 8);
      m.SeriesTime = dt.slice(8);
    });
  } else if (seriesS === undefined) {
    if (dc !== "ADMIN") {
      add(
        "SERIES_DATETIME_MISSING",
        "BLOCKING",
        `${T.seriesDate} / ${T.seriesTime}`,
        `${fmt(e.SeriesDate)} ${fmt(e.SeriesTime)}`,
        `${where}: ${T.seriesDate} "${fmt(e.SeriesDate)}" / ${T.seriesTime} "${fmt(e.SeriesTime)}" missing or invalid; the decay-correction reference time is unknown (override ReferenceDateTime)`,
      );
    }
  } else if (earliestAcq === undefined || seriesS <= earliestAcq) {
    referenceS = seriesS;
    refSource = "series";
    if (earliestAcq !== undefined && earliestAcq - seriesS > 86400) {
      add(
        "SERIES_ACQUISITION_DATE_MISMATCH",
        "WARNING",
        T.seriesDate,
        e.SeriesDate,
        `${where}: Series Date/Time ${e.SeriesDate} ${e.SeriesTime} is ${fmtHours(earliestAcq - seriesS)} before the first acquisition (${formatDicomDateTime(earliestAcq).slice(0, 14)}): dates may have been shifted or the series date is wrong`,
      );
    }
  } else {
    const late = seriesS - earliestAcq;
    if (geS !== undefined) {
      referenceS = geS;
      refSource = "ge-private";
    } else {
      referenceS = earliestAcq;
      refSource = "earliest-acquisition";
    }
    add(
      "SERIES_TIME_AFTER_ACQUISITION",
      "WARNING",
      T.seriesTime,
      e.SeriesTime,
      `${where}: ${T.seriesTime} ${e.SeriesTime} is ${late.toFixed(0)} s after the first ${T.acqTime} (rewritten by post-processing?); using the ${refSource === "ge-private" ? "GE private scan time" : "earliest acquisition time"} as reference (QIBA order)`,
    );
  }
  if (geS !== undefined && seriesS !== undefined && Math.abs(geS - seriesS) > 1) {
    add(
      "GE_PRIVATE_SCAN_TIME_DIFFERS",
      "WARNING",
      T.ge,
      e.GEPrivatePostInjectionDateTime,
      `${where}: GE private scan DateTime ${e.GEPrivatePostInjectionDateTime} differs from Series Date/Time by ${(geS - seriesS).toFixed(0)} s`,
    );
  }
  const siemensS = parseDicomDateTime(e.SiemensDecayCorrectionDateTime);
  if (siemensS !== undefined && seriesS !== undefined && Math.abs(siemensS - seriesS) > 1) {
    add(
      "SIEMENS_DECAY_TIME_DIFFERS",
      "WARNING",
      T.siemens,
      e.SiemensDecayCorrectionDateTime,
      `${where}: Siemens decay-correction DateTime ${e.SiemensDecayCorrectionDateTime} differs from Series Date/Time by ${(siemensS - seriesS).toFixed(0)} s`,
    );
  }

  const startTimeS = parseDicomTime(e.RadiopharmaceuticalStartTime);
  const startDTsOfDay = parseDicomDateTime(e.RadiopharmaceuticalStartDateTime);
  if (startTimeS !== undefined && startDTsOfDay !== undefined) {
    const diff = Math.abs(
      (((((startDTsOfDay % 86400) - startTimeS + 43200) % 86400) + 86400) % 86400) - 43200,
    );
    if (diff > 60) {
      add(
        "START_TIME_MISMATCH",
        "WARNING",
        `${T.startDateTime} / ${T.startTime}`,
        [e.RadiopharmaceuticalStartDateTime, e.RadiopharmaceuticalStartTime],
        `${where}: ${T.startDateTime} ${e.RadiopharmaceuticalStartDateTime} and ${T.startTime} ${e.RadiopharmaceuticalStartTime} differ by ${diff.toFixed(0)} s; the DateTime is used`,
      );
    }
  }
  let injectionS: number | undefined;
  const needsTiming = dc !== "ADMIN" || isSpect;
  const startDT = e.RadiopharmaceuticalStartDateTime;
  const startDTs = parseDicomDateTime(startDT);
  if (startDTs !== undefined && (startDT ?? "").replace(/\D/g, "").length >= 12) {
    injectionS = startDTs;
  } else if (
    e.RadiopharmaceuticalStartTime !== undefined &&
    parseDicomDate(e.SeriesDate) !== undefined
  ) {
    let t = combineDateTime(e.SeriesDate, e.RadiopharmaceuticalStartTime);
    if (t !== undefined) {
      let rolled = false;
      if (referenceS !== undefined && t > referenceS) {
        t -= 86400; // injected before midnight, scanned after (suv.md §2.5 pitfall 1)
        rolled = true;
      }
      injectionS = t;
      const longLived = halfLifeS !== undefined && halfLifeS > policy.dateRequiredAboveHalfLifeS;
      if (needsTiming) {
        add(
          "INJECTION_DATE_ASSUMED",
          longLived ? "BLOCKING" : "WARNING",
          T.startTime,
          e.RadiopharmaceuticalStartTime,
          longLived
            ? `${where}: only ${T.startTime} ${e.RadiopharmaceuticalStartTime} is given; for a nuclide with half-life ${fmtHours(halfLifeS ?? 0)} the administration date cannot be assumed (override RadiopharmaceuticalStartDateTime)`
            : `${where}: ${T.startDateTime} absent; administration date assumed to be the Series Date ${e.SeriesDate}${rolled ? " minus one day (injection before midnight)" : ""}`,
        );
      }
    }
  }
  if (injectionS === undefined && needsTiming) {
    add(
      "INJECTION_TIME_MISSING",
      "BLOCKING",
      T.startDateTime,
      startDT ?? e.RadiopharmaceuticalStartTime ?? null,
      `${where}: no usable ${T.startDateTime} or ${T.startTime} (with a Series Date); the administration time is unknown (override RadiopharmaceuticalStartDateTime)`,
    );
  }
  let decayTimeS: number | undefined;
  if (injectionS !== undefined && referenceS !== undefined) {
    decayTimeS = referenceS - injectionS;
    const attr = T.decayTime;
    if (decayTimeS < 0) {
      const sev = -decayTimeS <= policy.clockDriftToleranceS ? "WARNING" : "BLOCKING";
      add(
        "DECAY_TIME_NEGATIVE",
        sev,
        attr,
        decayTimeS,
        `${where}: administration ${formatDicomDateTime(injectionS).slice(0, 14)} is ${(-decayTimeS).toFixed(0)} s after the reference time ${formatDicomDateTime(referenceS).slice(0, 14)}${sev === "WARNING" ? " (within clock-drift tolerance)" : ""}`,
      );
    } else if (halfLifeS !== undefined) {
      const hl = decayTimeS / halfLifeS;
      if (hl > policy.blockAfterHalfLives) {
        add(
          "DECAY_TIME_IMPLAUSIBLE",
          "BLOCKING",
          attr,
          decayTimeS,
          `${where}: ${fmtHours(decayTimeS)} from administration to reference time = ${hl.toFixed(1)} half-lives (${nuclide?.nuclide ?? `T½ ${halfLifeS} s`}), above the policy limit of ${policy.blockAfterHalfLives}`,
        );
      } else if (hl > policy.warnAfterHalfLives) {
        add(
          "DECAY_TIME_LONG",
          "WARNING",
          attr,
          decayTimeS,
          `${where}: ${fmtHours(decayTimeS)} from administration to reference time = ${hl.toFixed(1)} half-lives (${nuclide?.nuclide ?? `T½ ${halfLifeS} s`}); above the warning level of ${policy.warnAfterHalfLives}`,
        );
      }
    } else if (decayTimeS > policy.maxHoursUnknownHalfLife * 3600) {
      add(
        "DECAY_TIME_IMPLAUSIBLE",
        "BLOCKING",
        attr,
        decayTimeS,
        `${where}: ${fmtHours(decayTimeS)} from administration to reference time with no known half-life (limit ${policy.maxHoursUnknownHalfLife} h)`,
      );
    }
  }
  if (injectionS !== undefined) {
    const dt = formatDicomDateTime(injectionS);
    setAll((m) => (m.RadiopharmaceuticalStartDateTime = dt));
  }
  return result({
    overridesApplied: applied,
    effective: eff,
    nuclide,
    halfLifeS,
    referenceDateTime: referenceS === undefined ? undefined : formatDicomDateTime(referenceS),
    referenceTimeSource: refSource,
    injectionDateTime: injectionS === undefined ? undefined : formatDicomDateTime(injectionS),
    decayTimeS,
  });
}
