import { requireFinite, requireNonNegative, requirePositive } from "../internal/validate.js";
import { instantToEpochMs, type Instant } from "../units/time.js";
import type { NumericTypedArray } from "./apply.js";

/*
 * Quantitative SPECT (e.g. 177Lu post-therapy SPECT/CT). A camera calibration factor in
 * cps/MBq converts a reconstructed count rate to activity (MIRD Pamphlet 26 / EANM on
 * quantitative 177Lu SPECT, Ljungberg et al. J Nucl Med 2016;57:151–162, as cited in
 * reference/dosimetry.md; radionuclides.md §3 for decay). Voxel values are physically present activity at acquisition
 * time (not decay-corrected), as the dosimetry formulas expect (radionuclides.md Example R3 note).
 */

/**
 * Activity concentration of a SPECT voxel:
 * C = counts / (D · CF) · 10⁶ / V   [Bq/mL]
 * (count rate counts/D in cps divided by the calibration factor CF in cps/MBq gives MBq in the voxel;
 * MIRD Pamphlet 26, Ljungberg et al. J Nucl Med 2016, via reference/dosimetry.md intro and §2
 * `calibrationFactorId`).
 *
 * @param countsPerVoxel reconstructed counts in the voxel over the whole acquisition (finite, may be < 0 after reconstruction).
 * @param calibrationFactorCpsPerMBq system calibration factor in cps/MBq (> 0).
 * @param acquisitionDurationS acquisition duration D in s (> 0).
 * @param voxelVolumeMl voxel volume V in mL (> 0).
 * @returns C in Bq/mL.
 * @throws TypeError when not finite; RangeError when a positive parameter is ≤ 0.
 */
export function spectBqPerMl(
  countsPerVoxel: number,
  calibrationFactorCpsPerMBq: number,
  acquisitionDurationS: number,
  voxelVolumeMl: number,
): number {
  requireFinite("countsPerVoxel", countsPerVoxel);
  requirePositive("calibrationFactorCpsPerMBq", calibrationFactorCpsPerMBq);
  requirePositive("acquisitionDurationS", acquisitionDurationS);
  requirePositive("voxelVolumeMl", voxelVolumeMl);
  return (
    (countsPerVoxel / (acquisitionDurationS * calibrationFactorCpsPerMBq)) * (1e6 / voxelVolumeMl)
  );
}

/**
 * Whole-volume version of {@link spectBqPerMl}: out[i] = counts[i] · 10⁶ / (D · CF · V)
 * (same source: MIRD Pamphlet 26 via reference/dosimetry.md).
 * No per-voxel allocation; `out` may be `counts` itself when it is a Float32Array.
 *
 * @returns `out`.
 * @throws as {@link spectBqPerMl}; RangeError when `out.length` differs from `counts.length`.
 */
export function spectCountsToBqPerMl(
  counts: NumericTypedArray,
  calibrationFactorCpsPerMBq: number,
  acquisitionDurationS: number,
  voxelVolumeMl: number,
  out: Float32Array,
): Float32Array {
  const k = spectBqPerMl(1, calibrationFactorCpsPerMBq, acquisitionDurationS, voxelVolumeMl);
  if (out.length !== counts.length)
    throw new RangeError(
      `out.length must equal counts.length (${counts.length}), got ${out.length}`,
    );
  for (let i = 0; i < counts.length; i++) out[i] = counts[i]! * k;
  return out;
}

/** Input of {@link spectSuvbwFactor}. */
export interface SpectSuvInput {
  /** Net administered activity at administration time, MBq (> 0), e.g. from netAdministeredActivity. */
  readonly administeredMBq: number;
  /** Administration instant (Date or zoned ISO string). */
  readonly administrationTime: Instant;
  /** Start of the SPECT acquisition (must not precede administration). */
  readonly acquisitionStartTime: Instant;
  /** Acquisition duration in s (≥ 0; 0 = treat as instantaneous). */
  readonly acquisitionDurationS: number;
  /** Physical half-life in s (> 0), e.g. halfLifeS("177Lu"). */
  readonly halfLifeS: number;
  /** Body weight in kg (0 < W ≤ 1000). */
  readonly weightKg: number;
}

/** Result of {@link spectSuvbwFactor}. */
export interface SpectSuvFactor {
  /** SUVbw factor in g/mL per Bq/mL: SUVbw = C · factor. */
  readonly suvbw: number;
  /** Δt from administration to the decay-averaged acquisition time, s. */
  readonly decayS: number;
  /** Administered activity decayed to that time, Bq. */
  readonly activityAtScanBq: number;
}

/**
 * SUVbw factor for a non-decay-corrected quantitative SPECT volume:
 * factor = W_g / (A_adm · 2^(−Δt/T½)), Δt = t_acq − t_adm + T_ave,
 * T_ave = (1/λ) · ln(λD / (1 − e^(−λD))) the time within the acquisition at which the
 * instantaneous rate equals the average (suv.md §1 SUVbw definition and §2.3 T_ave formula,
 * IBSI manual citing the QIBA pseudo-code; the same maths as PET `DecayCorrection = NONE`, suv.md §2.4).
 *
 * @throws TypeError for non-finite numbers or bad instants; RangeError for non-positive activity,
 *   half-life or weight, negative duration, weight > 1000 kg, or acquisition before administration.
 */
export function spectSuvbwFactor(input: SpectSuvInput): SpectSuvFactor {
  const a = requirePositive("administeredMBq", input.administeredMBq);
  const t = requirePositive("halfLifeS", input.halfLifeS);
  const w = requirePositive("weightKg", input.weightKg);
  if (w > 1000) throw new RangeError(`weightKg must be <= 1000 (kg), got ${w}`);
  const d = requireNonNegative("acquisitionDurationS", input.acquisitionDurationS);
  const start = instantToEpochMs("acquisitionStartTime", input.acquisitionStartTime);
  const adm = instantToEpochMs("administrationTime", input.administrationTime);
  if (start < adm) {
    throw new RangeError(
      `acquisitionStartTime must not precede administrationTime, got ${new Date(start).toISOString()} < ${new Date(adm).toISOString()}`,
    );
  }
  const lambda = Math.LN2 / t;
  const ld = lambda * d;
  // For λD → 0, T_ave → D/2; use the series ln(1 + x/2 + x²/12...) guard for tiny λD.
  const tAve = ld < 1e-8 ? d / 2 : Math.log(ld / -Math.expm1(-ld)) / lambda;
  const decayS = (start - adm) / 1000 + tAve;
  const activityAtScanBq = a * 1e6 * Math.pow(2, -decayS / t);
  return { suvbw: (w * 1000) / activityAtScanBq, decayS, activityAtScanBq };
}
