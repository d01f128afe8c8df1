import { requireFinite, requireNonNegative } from "../internal/validate.js";
import { validateVolume, type Volume } from "./geometry.js";

/*
 * Threshold rules for metabolic / SSTR tumour volume (reference/suv.md §3 "Thresholds for MTV").
 * Tie rule: SUV ≥ threshold is inside (suv.md §3 "use ≥ (inclusive)").
 */

/**
 * Binary mask of voxels with SUV ≥ `threshold` (inclusive), optionally restricted to a VOI mask.
 * The threshold is rounded to float32 first (Math.fround) so the tie rule holds for values stored
 * in the Float32Array (e.g. a voxel holding float32(4.1) is kept for t = 4.1).
 * Fixed-absolute rule, e.g. SUV ≥ 2.5 or ≥ 4.0 (suv.md §3).
 *
 * @param volume SUV volume.
 * @param threshold SUV threshold (finite).
 * @param voiMask optional restriction (non-zero = inside), same length as the volume.
 * @param out optional output mask to reuse (same length).
 * @returns `{ mask, count }`: mask 1 inside, 0 outside; count of voxels inside.
 * @throws TypeError/RangeError for invalid volume, non-finite threshold or wrong mask lengths.
 */
export function thresholdMask(
  volume: Volume,
  threshold: number,
  voiMask?: Uint8Array,
  out?: Uint8Array,
): { mask: Uint8Array; count: number } {
  const n = validateVolume(volume);
  requireFinite("threshold", threshold);
  if (voiMask !== undefined && voiMask.length !== n)
    throw new RangeError(`voiMask.length must equal ${n}, got ${voiMask.length}`);
  if (out !== undefined && out.length !== n)
    throw new RangeError(`out.length must equal ${n}, got ${out.length}`);
  const mask = out ?? new Uint8Array(n);
  const d = volume.data;
  // Compare at the data's precision so that a voxel stored as float32(t) counts as SUV ≥ t.
  const t = Math.fround(threshold);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const inside = d[i]! >= t && (voiMask === undefined || voiMask[i] !== 0) ? 1 : 0;
    mask[i] = inside;
    count += inside;
  }
  return { mask, count };
}

/**
 * Relative threshold inside a VOI: t = fraction · SUVmax(VOI), e.g. 41 % (EANM FDG guideline
 * v2.0, Boellaard 2015 — marked unverified in suv.md §3) or 50 %. Example S6: SUVmax 10 → 4.10.
 *
 * @param volume SUV volume.
 * @param voiMask VOI (non-zero = inside), same length as the volume; must contain ≥ 1 voxel.
 * @param fraction fraction of SUVmax in (0, 1], e.g. 0.41.
 * @returns `{ threshold, suvMax, voiVoxelCount }`.
 * @throws TypeError/RangeError for invalid volume/mask, fraction outside (0, 1] or an empty VOI.
 */
export function relativeThresholdInVoi(
  volume: Volume,
  voiMask: Uint8Array,
  fraction: number,
): { threshold: number; suvMax: number; voiVoxelCount: number } {
  const n = validateVolume(volume);
  requireFinite("fraction", fraction);
  if (!(fraction > 0 && fraction <= 1))
    throw new RangeError(`fraction must be in (0, 1], got ${fraction}`);
  if (!(voiMask instanceof Uint8Array) || voiMask.length !== n) {
    throw new RangeError(
      `voiMask must be a Uint8Array of length ${n}, got length ${String((voiMask as { length?: number } | null)?.length)}`,
    );
  }
  let max = Number.NEGATIVE_INFINITY;
  let count = 0;
  const d = volume.data;
  for (let i = 0; i < n; i++) {
    if (voiMask[i] !== 0) {
      count++;
      const v = d[i]!;
      if (v > max) max = v;
    }
  }
  if (count === 0) throw new RangeError("voiMask must contain at least one voxel, got 0");
  return { threshold: fraction * max, suvMax: max, voiVoxelCount: count };
}

/**
 * PERCIST liver threshold: t = 1.5 · liver SULmean + 2 · liver SD, from a 3 cm-diameter liver
 * sphere (Wahl et al. J Nucl Med 2009;50 Suppl 1:122S–150S, via reference/suv.md §3 and Example
 * S7: mean 1.8, SD 0.25 → 3.2). Also the PERCIST measurability threshold.
 *
 * @param liverMean liver SUL (or SUV) mean (≥ 0).
 * @param liverSd standard deviation in the same VOI (≥ 0).
 * @throws TypeError/RangeError when negative or not finite.
 */
export function percistLiverThreshold(liverMean: number, liverSd: number): number {
  requireNonNegative("liverMean", liverMean);
  requireNonNegative("liverSd", liverSd);
  return 1.5 * liverMean + 2 * liverSd;
}

/**
 * PERCIST blood-pool alternative: t = 2 · blood-pool mean + 2 · SD (suv.md §3, Wahl 2009),
 * used when the liver is abnormal.
 *
 * @throws TypeError/RangeError when negative or not finite.
 */
export function percistBloodPoolThreshold(bloodPoolMean: number, bloodPoolSd: number): number {
  requireNonNegative("bloodPoolMean", bloodPoolMean);
  requireNonNegative("bloodPoolSd", bloodPoolSd);
  return 2 * bloodPoolMean + 2 * bloodPoolSd;
}
