import { requireFinite } from "../internal/validate.js";

/**
 * Unit conversions for activity and activity concentration.
 * 1 Ci = 3.7 × 10¹⁰ Bq exactly (SI definition), so 1 mCi = 37 MBq exactly. Units convention:
 * activity in MBq/GBq (reference/README.md "Conventions shared by all files").
 * Each function throws a TypeError naming the parameter when given a non-finite number.
 */

/** Becquerels per millicurie (exact, SI definition of the curie). */
export const BQ_PER_MCI = 3.7e7;

/** MBq → GBq (÷ 1000; SI, reference/README.md units). @throws TypeError when `activityMBq` is not finite. */
export function mbqToGbq(activityMBq: number): number {
  return requireFinite("activityMBq", activityMBq) / 1000;
}
/** GBq → MBq (× 1000; SI, reference/README.md units). @throws TypeError when `activityGBq` is not finite. */
export function gbqToMbq(activityGBq: number): number {
  return requireFinite("activityGBq", activityGBq) * 1000;
}
/** MBq → mCi (÷ 37; 1 mCi = 37 MBq exactly; SI, reference/README.md units). @throws TypeError when `activityMBq` is not finite. */
export function mbqToMci(activityMBq: number): number {
  return requireFinite("activityMBq", activityMBq) / 37;
}
/** mCi → MBq (× 37; SI, reference/README.md units). @throws TypeError when `activityMCi` is not finite. */
export function mciToMbq(activityMCi: number): number {
  return requireFinite("activityMCi", activityMCi) * 37;
}
/** GBq → mCi (× 1000 / 37; SI, reference/README.md units). @throws TypeError when `activityGBq` is not finite. */
export function gbqToMci(activityGBq: number): number {
  return (requireFinite("activityGBq", activityGBq) * 1000) / 37;
}
/** mCi → GBq (× 37 / 1000; SI, reference/README.md units). @throws TypeError when `activityMCi` is not finite. */
export function mciToGbq(activityMCi: number): number {
  return (requireFinite("activityMCi", activityMCi) * 37) / 1000;
}
/** Bq → MBq (÷ 10⁶; SI, reference/README.md units). @throws TypeError when `activityBq` is not finite. */
export function bqToMbq(activityBq: number): number {
  return requireFinite("activityBq", activityBq) / 1e6;
}
/** MBq → Bq (× 10⁶; SI, reference/README.md units). @throws TypeError when `activityMBq` is not finite. */
export function mbqToBq(activityMBq: number): number {
  return requireFinite("activityMBq", activityMBq) * 1e6;
}
/** Bq/mL → kBq/mL (÷ 1000; SI, reference/README.md units; suv.md uses Bq/mL). @throws TypeError when `concentrationBqPerMl` is not finite. */
export function bqPerMlToKbqPerMl(concentrationBqPerMl: number): number {
  return requireFinite("concentrationBqPerMl", concentrationBqPerMl) / 1000;
}
/** kBq/mL → Bq/mL (× 1000; SI, reference/README.md units). @throws TypeError when `concentrationKBqPerMl` is not finite. */
export function kbqPerMlToBqPerMl(concentrationKBqPerMl: number): number {
  return requireFinite("concentrationKBqPerMl", concentrationKBqPerMl) * 1000;
}
