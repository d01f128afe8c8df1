/**
 * Evaluating fitted time–activity curves (for plots and residual checks) and the half-life of a
 * fitted rate constant with its first-order SD. Times in hours after administration, activities
 * in MBq (or MBq/mL for blood), rate constants in h⁻¹. Source: reference/dosimetry.md §3.
 */
import { requireNonNegative, requirePositive } from "./guards";

/** Mono-exponential `A(t) = A0'·e^(−λ_eff·t)` (dosimetry.md §3.1). */
export function monoExponentialActivity(a0MBq: number, lambdaEffPerH: number, tH: number): number {
  requireNonNegative("tH", tH);
  return a0MBq * Math.exp(-lambdaEffPerH * tH);
}

/** Uptake–washout `A(t) = a·(e^(−λ₁t) − e^(−λ₂t))`, λ₁ washout, λ₂ uptake (dosimetry.md §3.2). */
export function uptakeWashoutActivity(amplitudeMBq: number, lambdaWashoutPerH: number, lambdaUptakePerH: number, tH: number): number {
  requireNonNegative("tH", tH);
  return amplitudeMBq * (Math.exp(-lambdaWashoutPerH * tH) - Math.exp(-lambdaUptakePerH * tH));
}

/**
 * The mono-exponential implied by the Hänscheid single-time-point estimate: T_eff = t_s through
 * the measured point, `A(t) = A(t_s)·2^((t_s − t)/t_s)`; its integral A(t_s)·2t_s/ln2 is exactly
 * {@link hanscheidTia} (dosimetry.md §3.4).
 */
export function hanscheidImpliedActivity(activityMBq: number, sampleTimeH: number, tH: number): number {
  requirePositive("sampleTimeH", sampleTimeH);
  requireNonNegative("tH", tH);
  return activityMBq * 2 ** ((sampleTimeH - tH) / sampleTimeH);
}

/** Half-life ln2/λ (h) of a rate constant λ (h⁻¹), λ > 0. */
export function halfLifeFromRateH(lambdaPerH: number): number {
  requirePositive("lambdaPerH", lambdaPerH);
  return Math.LN2 / lambdaPerH;
}

/**
 * First-order (delta-method) SD of T = ln2/λ from var(λ): |dT/dλ| = ln2/λ² = T/λ, so
 * SD_T = T·SD_λ/λ (dosimetry.md §6, first-order propagation). Negative variances from a
 * numerically singular covariance are treated as 0.
 */
export function halfLifeSdFromRateVarianceH(lambdaPerH: number, lambdaVariance: number): number {
  const t = halfLifeFromRateH(lambdaPerH);
  return (t * Math.sqrt(Math.max(0, lambdaVariance))) / lambdaPerH;
}
