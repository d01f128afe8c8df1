import { requireFinite, requireNonNegative, requirePositive } from "../internal/validate.js";
import { instantToEpochMs, type Instant } from "./time.js";

/*
 * Decay correction. Formulas: reference/radionuclides.md §3
 *   λ = ln 2 / T½ ;  A(t) = A(t0) · 2^(−(t − t0)/T½) ;  A(t0) = A(t) · 2^(+(t − t0)/T½)
 * Time is always in seconds (radionuclides.md §1 rule 3).
 */

/**
 * Decay constant λ = ln 2 / T½ (reference/radionuclides.md §3).
 *
 * @param halfLifeS physical half-life in s.
 * @returns λ in s⁻¹.
 * @throws TypeError/RangeError when `halfLifeS` is not a finite number > 0.
 */
export function decayConstantPerS(halfLifeS: number): number {
  return Math.LN2 / requirePositive("halfLifeS", halfLifeS);
}

/**
 * Fraction of activity remaining after `elapsedS`: f = 2^(−elapsedS / T½)
 * (reference/radionuclides.md §3). A negative `elapsedS` gives f > 1 (correcting backwards);
 * callers working with measured times should use {@link activityAtTime}, which names its instants.
 *
 * @param elapsedS elapsed time in s (any finite value).
 * @param halfLifeS physical half-life in s (> 0).
 * @returns dimensionless decay factor.
 * @throws TypeError when an argument is not finite; RangeError when `halfLifeS` ≤ 0.
 */
export function decayFactor(elapsedS: number, halfLifeS: number): number {
  requireFinite("elapsedS", elapsedS);
  requirePositive("halfLifeS", halfLifeS);
  return Math.pow(2, -elapsedS / halfLifeS);
}

/**
 * Activity remaining after decay forwards in time: A(t0 + Δt) = A(t0) · 2^(−Δt/T½)
 * (reference/radionuclides.md §3; Example R2: 8.00 GBq, 24 h, 177Lu → 7.208 GBq).
 *
 * @param activity activity at the start, any activity unit (the result has the same unit).
 * @param elapsedS Δt ≥ 0 in s.
 * @param halfLifeS T½ in s (> 0).
 * @throws TypeError when not finite; RangeError when `activity` < 0, `elapsedS` < 0 or `halfLifeS` ≤ 0.
 */
export function activityAfterDecay(activity: number, elapsedS: number, halfLifeS: number): number {
  requireNonNegative("activity", activity);
  requireNonNegative("elapsedS", elapsedS);
  return activity * decayFactor(elapsedS, halfLifeS);
}

/**
 * Decay-corrects a measured activity back to an earlier reference time:
 * A(t0) = A(t0 + Δt) · 2^(+Δt/T½) (reference/radionuclides.md §3; Example R3:
 * 100 MBq at 96 h, 177Lu → 151.758 MBq at injection-time scale).
 *
 * @param activity activity measured at the later time, any unit (result has the same unit).
 * @param elapsedS Δt ≥ 0 in s between the reference time and the measurement.
 * @param halfLifeS T½ in s (> 0).
 * @throws TypeError when not finite; RangeError when `activity` < 0, `elapsedS` < 0 or `halfLifeS` ≤ 0.
 */
export function activityBeforeDecay(activity: number, elapsedS: number, halfLifeS: number): number {
  requireNonNegative("activity", activity);
  requireNonNegative("elapsedS", elapsedS);
  return activity * decayFactor(-elapsedS, halfLifeS);
}

/**
 * Activity at another instant, forwards or backwards: A(t) = A(tm) · 2^(−(t − tm)/T½)
 * (reference/radionuclides.md §3).
 *
 * @param activity activity measured at `measuredAt`, any unit.
 * @param measuredAt instant of the measurement (Date or ISO string with zone).
 * @param targetAt instant to correct to.
 * @param halfLifeS T½ in s (> 0).
 * @throws TypeError for bad instants or non-finite numbers; RangeError when `activity` < 0 or `halfLifeS` ≤ 0.
 */
export function activityAtTime(
  activity: number,
  measuredAt: Instant,
  targetAt: Instant,
  halfLifeS: number,
): number {
  requireNonNegative("activity", activity);
  const dtS =
    (instantToEpochMs("targetAt", targetAt) - instantToEpochMs("measuredAt", measuredAt)) / 1000;
  return activity * decayFactor(dtS, halfLifeS);
}

/**
 * Effective half-life combining physical decay and biological clearance:
 * 1/T_eff = 1/T_phys + 1/T_biol (reference/radionuclides.md §3; Example R4: 177Lu, T_biol 80 h → 53.281 h).
 *
 * @param physicalHalfLife T_phys (> 0), any time unit.
 * @param biologicalHalfLife T_biol (> 0), same unit. A negative measured T_biol (uptake phase)
 *   is a finding to flag, not to clamp (radionuclides.md §3), so it is rejected here.
 * @returns T_eff in the same unit.
 * @throws TypeError/RangeError when either argument is not a finite number > 0.
 */
export function effectiveHalfLife(physicalHalfLife: number, biologicalHalfLife: number): number {
  requirePositive("physicalHalfLife", physicalHalfLife);
  requirePositive("biologicalHalfLife", biologicalHalfLife);
  return 1 / (1 / physicalHalfLife + 1 / biologicalHalfLife);
}

/** Input of {@link netAdministeredActivity}. Activities in MBq, times as Date or zoned ISO strings. */
export interface NetAdministeredActivityInput {
  /** Activity in the syringe/vial measured (or calibrated) before administration, MBq (> 0). */
  readonly calibratedMBq: number;
  /** Instant of that measurement/calibration (may be before or after administration). */
  readonly calibrationTime: Instant;
  /** Residual activity left in syringe/vial/lines after administration, MBq (≥ 0). */
  readonly residualMBq: number;
  /** Instant the residue was measured; must not precede `administrationTime`. */
  readonly residualTime: Instant;
  /** Instant of administration (injection / start of infusion). */
  readonly administrationTime: Instant;
  /** Physical half-life in s (> 0), e.g. `halfLifeS("177Lu")`. */
  readonly halfLifeS: number;
}

/** Result of {@link netAdministeredActivity}: gross, residue and net, all at administration time. */
export interface NetAdministeredActivity {
  /** Net administered activity at administration time, MBq. */
  readonly netMBq: number;
  /** Calibrated activity decay-corrected to administration time, MBq. */
  readonly grossAtAdministrationMBq: number;
  /** Residual activity decay-corrected back to administration time, MBq. */
  readonly residualAtAdministrationMBq: number;
}

/**
 * Net administered activity at administration time:
 * A_net = A_cal · 2^(−(t_adm − t_cal)/T½) − A_res · 2^(+(t_res − t_adm)/T½)
 * (reference/radionuclides.md §3; Example R1: 150 MBq 68Ga at 09:00, injected 09:20,
 * residue 5.0 MBq at 09:25 → 116.966 MBq). Gross, residue and net are returned separately
 * because DICOM carries only one number (suv.md §2.5 pitfall 5).
 *
 * @throws TypeError for non-finite numbers or unparseable/zone-less times;
 *   RangeError when `calibratedMBq` ≤ 0, `residualMBq` < 0, `halfLifeS` ≤ 0,
 *   `residualTime` precedes `administrationTime`, or the decay-corrected residue exceeds the
 *   decay-corrected calibrated activity.
 */
export function netAdministeredActivity(
  input: NetAdministeredActivityInput,
): NetAdministeredActivity {
  if (input === null || typeof input !== "object") {
    throw new TypeError(`input must be an object, got ${String(input)}`);
  }
  const calibratedMBq = requirePositive("calibratedMBq", input.calibratedMBq);
  const residualMBq = requireNonNegative("residualMBq", input.residualMBq);
  const t = requirePositive("halfLifeS", input.halfLifeS);
  const tCal = instantToEpochMs("calibrationTime", input.calibrationTime);
  const tRes = instantToEpochMs("residualTime", input.residualTime);
  const tAdm = instantToEpochMs("administrationTime", input.administrationTime);
  if (tRes < tAdm) {
    throw new RangeError(
      `residualTime must not precede administrationTime, got residualTime ${new Date(tRes).toISOString()} < administrationTime ${new Date(tAdm).toISOString()}`,
    );
  }
  const gross = calibratedMBq * Math.pow(2, -((tAdm - tCal) / 1000) / t);
  const residue = residualMBq * Math.pow(2, (tRes - tAdm) / 1000 / t);
  if (residue > gross) {
    throw new RangeError(
      `residualMBq decay-corrected to administration (${residue.toFixed(4)} MBq) must not exceed calibratedMBq decay-corrected to administration (${gross.toFixed(4)} MBq), got residualMBq ${residualMBq}`,
    );
  }
  return {
    netMBq: gross - residue,
    grossAtAdministrationMBq: gross,
    residualAtAdministrationMBq: residue,
  };
}
