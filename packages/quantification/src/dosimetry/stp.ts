/**
 * Single-time-point (STP) estimates of the time-integrated activity (reference/dosimetry.md §3.4).
 * Times in hours after administration, activity physically present in MBq, Ã in MBq·h.
 */
import { requireNonNegative, requirePositive } from "./guards";

/**
 * Hänscheid STP approximation: `Ã ≈ A(t)·2t/ln2` (MBq·h).
 *
 * Source: reference/dosimetry.md §3.4 and Example D2 (Hänscheid H et al., J Nucl Med
 * 2018;59:75–81; verified against `dose_hanscheid2018` in rpt_dosi). Within ±10 % of the
 * mono-exponential Ã for 0.41 ≤ T_eff/t ≤ 1.31 (see {@link hanscheidApproximationRatio}).
 *
 * @param activityMBq activity physically present at `timeH` (MBq), ≥ 0
 * @param timeH time after administration (h), > 0
 * @throws TypeError for non-finite input; RangeError if activity < 0 or time ≤ 0.
 */
export function hanscheidTia(activityMBq: number, timeH: number): number {
  requireNonNegative("activityMBq", activityMBq);
  requirePositive("timeH", timeH);
  return (activityMBq * 2 * timeH) / Math.LN2;
}

/**
 * Ratio (Hänscheid approximation)/(exact mono-exponential Ã) = `2t / (T_eff·2^(t/T_eff))`.
 * Equals 1 at T_eff = t and T_eff = t/2; maximum 1.061 at T_eff = t·ln2.
 *
 * Source: reference/dosimetry.md §3.4 (table of approx/exact vs T_eff/t).
 *
 * @param effectiveHalfLifeH patient effective half-life (h), > 0
 * @param timeH imaging time (h), > 0
 * @throws RangeError if either is ≤ 0.
 */
export function hanscheidApproximationRatio(effectiveHalfLifeH: number, timeH: number): number {
  requirePositive("effectiveHalfLifeH", effectiveHalfLifeH);
  requirePositive("timeH", timeH);
  return (2 * timeH) / (effectiveHalfLifeH * 2 ** (timeH / effectiveHalfLifeH));
}

/**
 * Madsen STP estimate with a population (or the patient's cycle-1) effective half-life:
 * `λ = ln2/T_pop`, `Ã ≈ A(t)·e^(λt)/λ` (MBq·h).
 *
 * Source: reference/dosimetry.md §3.4 and Example D3 (Madsen MT et al., Med Phys
 * 2018;45:2318–2324; verified against `dose_madsen2018` in rpt_dosi). The same formula with
 * the patient's own cycle-1 T_eff is the third STP variant (Lutate study, §2/§3.4).
 *
 * @param activityMBq activity physically present at `timeH` (MBq), ≥ 0
 * @param timeH time after administration (h), ≥ 0
 * @param effectiveHalfLifeH population or patient effective half-life (h), > 0
 * @throws TypeError for non-finite input; RangeError for negative activity/time or T ≤ 0.
 */
export function madsenTia(activityMBq: number, timeH: number, effectiveHalfLifeH: number): number {
  requireNonNegative("activityMBq", activityMBq);
  requireNonNegative("timeH", timeH);
  requirePositive("effectiveHalfLifeH", effectiveHalfLifeH);
  const lambda = Math.LN2 / effectiveHalfLifeH;
  return (activityMBq * Math.exp(lambda * timeH)) / lambda;
}
