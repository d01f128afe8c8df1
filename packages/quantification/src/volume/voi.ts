import { requireFinite, requirePositive, show } from "../internal/validate.js";
import {
  indexToPatientMm,
  patientMmToIndex,
  validateGeometry,
  validateVolume,
  type Volume,
} from "./geometry.js";
import { peakOverCentres, sphereKernel, sphereRadiusMm } from "./peak.js";
import { percistLiverThreshold } from "./threshold.js";

type Vec3 = readonly [number, number, number];

/** Statistics of the voxels inside a VOI (voxel centre inside the shape). */
export interface VoiStats {
  readonly voxelCount: number;
  /** voxelCount × voxel volume, mL. */
  readonly volumeMl: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1; 0 for one voxel). */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  /** Patient coordinates (mm) of the max voxel centre. */
  readonly maxMm: [number, number, number];
  /** Highest 1 cm³-sphere mean centred on a VOI voxel (suv.md §3), or null when not requested. */
  readonly peak: number | null;
}

/** Options for VOI statistics. */
export interface VoiOptions {
  /** Compute the SUVpeak inside the VOI (default true). */
  readonly peak?: boolean;
  /** Peak sphere volume, mL (default 1). */
  readonly peakSphereVolumeMl?: number;
}

function requireVec3(name: string, v: Vec3): Vec3 {
  if (!Array.isArray(v) || v.length !== 3)
    throw new TypeError(`${name} must be [x, y, z], got ${show(v)}`);
  for (let a = 0; a < 3; a++) requireFinite(`${name}[${a}]`, v[a]);
  return v;
}

/**
 * Core: linear indices of the voxels whose index lies in [lo, hi] per axis and that satisfy
 * `inside` (or are non-zero in `mask`). Two passes for masks so the list is sized exactly.
 */
function collectVoxels(
  g: Volume["geometry"],
  lo: Vec3,
  hi: Vec3,
  inside: ((i: number, j: number, k: number) => boolean) | null,
  mask: Uint8Array | null,
): Int32Array {
  const [nx, ny, nz] = g.dims;
  const i0 = Math.max(0, Math.ceil(lo[0] - 1e-9));
  const j0 = Math.max(0, Math.ceil(lo[1] - 1e-9));
  const k0 = Math.max(0, Math.ceil(lo[2] - 1e-9));
  const i1 = Math.min(nx - 1, Math.floor(hi[0] + 1e-9));
  const j1 = Math.min(ny - 1, Math.floor(hi[1] + 1e-9));
  const k1 = Math.min(nz - 1, Math.floor(hi[2] + 1e-9));
  if (mask !== null) {
    let c = 0;
    for (let p = 0; p < mask.length; p++) if (mask[p] !== 0) c++;
    const out = new Int32Array(c);
    let t = 0;
    for (let p = 0; p < mask.length; p++) if (mask[p] !== 0) out[t++] = p;
    return out;
  }
  const boxCount = Math.max(0, i1 - i0 + 1) * Math.max(0, j1 - j0 + 1) * Math.max(0, k1 - k0 + 1);
  const voxels = new Int32Array(boxCount);
  let count = 0;
  for (let k = k0; k <= k1; k++) {
    for (let j = j0; j <= j1; j++) {
      const row = k * nx * ny + j * nx;
      for (let i = i0; i <= i1; i++) {
        if (inside !== null && !inside(i, j, k)) continue;
        voxels[count++] = row + i;
      }
    }
  }
  return voxels.subarray(0, count);
}

/** Core: statistics over a voxel list (see {@link collectVoxels}). */
function statsOf(volume: Volume, voxels: Int32Array, options: VoiOptions, what: string): VoiStats {
  const g = volume.geometry;
  const [nx, ny] = g.dims;
  const data = volume.data;
  const count = voxels.length;
  if (count === 0)
    throw new RangeError(`${what} contains no voxel centre inside the volume, got 0 voxels`);
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  let max = -Infinity;
  let argmax = -1;
  for (let t = 0; t < count; t++) {
    const p = voxels[t]!;
    const v = data[p]!;
    sum += v;
    sumSq += v * v;
    if (v < min) min = v;
    if (v > max) {
      max = v;
      argmax = p;
    }
  }
  const mean = sum / count;
  const sd = count > 1 ? Math.sqrt(Math.max(0, (sumSq - sum * mean) / (count - 1))) : 0;
  let peak: number | null = null;
  if (options.peak ?? true) {
    const peakMl = requirePositive("peakSphereVolumeMl", options.peakSphereVolumeMl ?? 1);
    const kernel = sphereKernel(g, sphereRadiusMm(peakMl));
    peak = peakOverCentres(data, g, kernel, voxels, 0, count).value;
  }
  const nxy = nx * ny;
  const az = (argmax / nxy) | 0;
  const ar = argmax - az * nxy;
  const ay = (ar / nx) | 0;
  return {
    voxelCount: count,
    volumeMl: (count * g.spacingMm[0] * g.spacingMm[1] * g.spacingMm[2]) / 1000,
    mean,
    sd,
    min,
    max,
    maxMm: indexToPatientMm(g, ar - ay * nx, ay, az),
    peak,
  };
}

function ellipsoidVoxels(g: Volume["geometry"], centreMm: Vec3, semiAxesMm: Vec3): Int32Array {
  requireVec3("centreMm", centreMm);
  requireVec3("semiAxesMm", semiAxesMm);
  for (let a = 0; a < 3; a++) requirePositive(`semiAxesMm[${a}]`, semiAxesMm[a]);
  const [ci, cj, ck] = patientMmToIndex(g, centreMm);
  const ai = semiAxesMm[0] / g.spacingMm[0];
  const aj = semiAxesMm[1] / g.spacingMm[1];
  const ak = semiAxesMm[2] / g.spacingMm[2];
  return collectVoxels(
    g,
    [ci - ai, cj - aj, ck - ak],
    [ci + ai, cj + aj, ck + ak],
    (i, j, k) => ((i - ci) / ai) ** 2 + ((j - cj) / aj) ** 2 + ((k - ck) / ak) ** 2 <= 1 + 1e-12,
    null,
  );
}

function boxVoxels(g: Volume["geometry"], cornerMm: Vec3, oppositeCornerMm: Vec3): Int32Array {
  const a = patientMmToIndex(g, requireVec3("cornerMm", cornerMm));
  const b = patientMmToIndex(g, requireVec3("oppositeCornerMm", oppositeCornerMm));
  return collectVoxels(
    g,
    [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.min(a[2], b[2])],
    [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2])],
    null,
    null,
  );
}

function toMask(n: number, voxels: Int32Array, out: Uint8Array | undefined): Uint8Array {
  if (out !== undefined && out.length !== n)
    throw new RangeError(`out.length must equal ${n}, got ${out.length}`);
  const mask = out ?? new Uint8Array(n);
  if (out !== undefined) mask.fill(0);
  for (let t = 0; t < voxels.length; t++) mask[voxels[t]!] = 1;
  return mask;
}

/**
 * Binary mask (1 inside) of an image-axis-aligned ellipsoid VOI, e.g. to restrict a 41 %-of-
 * SUVmax threshold to the viewer's ROI (reference/suv.md §3 "Fixed relative" rule). Same
 * inclusion rule as {@link ellipsoidVoiStats} (voxel centre inside).
 *
 * @param geometry volume geometry.
 * @param centreMm centre in patient coordinates, mm.
 * @param semiAxesMm semi-axes along i, j, k in mm (> 0); equal values give a sphere.
 * @param out optional mask to reuse (zero-filled first).
 * @throws TypeError/RangeError for invalid geometry, centre, semi-axes or `out` length.
 */
export function ellipsoidMask(
  geometry: Volume["geometry"],
  centreMm: Vec3,
  semiAxesMm: Vec3,
  out?: Uint8Array,
): Uint8Array {
  const n = validateGeometry(geometry);
  return toMask(n, ellipsoidVoxels(geometry, centreMm, semiAxesMm), out);
}

/**
 * Binary mask (1 inside) of an image-axis-aligned box VOI given by two opposite corners in
 * patient coordinates (voxel centre inside, inclusive; reference/suv.md §3 relative-threshold use).
 *
 * @throws TypeError/RangeError for invalid geometry, corners or `out` length.
 */
export function boxMask(
  geometry: Volume["geometry"],
  cornerMm: Vec3,
  oppositeCornerMm: Vec3,
  out?: Uint8Array,
): Uint8Array {
  const n = validateGeometry(geometry);
  return toMask(n, boxVoxels(geometry, cornerMm, oppositeCornerMm), out);
}

/**
 * Statistics inside an ellipsoid whose semi-axes are aligned with the image axes i, j, k:
 * voxel inside when Σ ((idx − c)·s / a)² ≤ 1 (per axis). Used by the viewer's ellipse ROI tool.
 * SUVmax, SUVmean and SUVpeak as defined in reference/suv.md §3 (SUVpeak: 1 cm³ sphere centred
 * on a VOI voxel, voxel centres inside, unweighted; Wahl 2009 / O 2016 PERCIST); SD is the
 * sample SD (n − 1).
 *
 * @param volume SUV volume.
 * @param centreMm centre in patient coordinates, mm.
 * @param semiAxesMm semi-axes along i, j, k in mm (> 0).
 * @param options SUVpeak on/off and sphere volume.
 * @returns count, volume (mL), mean, SD, min, max, SUVpeak.
 * @throws TypeError/RangeError for invalid inputs or when no voxel centre falls inside.
 */
export function ellipsoidVoiStats(
  volume: Volume,
  centreMm: Vec3,
  semiAxesMm: Vec3,
  options: VoiOptions = {},
): VoiStats {
  validateVolume(volume);
  return statsOf(
    volume,
    ellipsoidVoxels(volume.geometry, centreMm, semiAxesMm),
    options,
    "ellipsoid VOI",
  );
}

/**
 * Statistics inside a sphere (voxel centre within `radiusMm` of `centreMm`); metrics as in
 * reference/suv.md §3 (see {@link ellipsoidVoiStats}).
 * A sphere of radius r has volume ≈ 4/3·π·r³ (exact in the limit of small voxels).
 *
 * @param radiusMm radius in mm (> 0).
 * @throws as {@link ellipsoidVoiStats}.
 */
export function sphereVoiStats(
  volume: Volume,
  centreMm: Vec3,
  radiusMm: number,
  options: VoiOptions = {},
): VoiStats {
  requirePositive("radiusMm", radiusMm);
  return ellipsoidVoiStats(volume, centreMm, [radiusMm, radiusMm, radiusMm], options);
}

/**
 * Statistics inside a box aligned with the image axes, spanned by two opposite corners given
 * in patient coordinates (voxel centre inside, inclusive); metrics as in reference/suv.md §3.
 *
 * @param cornerMm one corner, mm.
 * @param oppositeCornerMm the opposite corner, mm.
 * @throws TypeError/RangeError for invalid inputs or an empty box.
 */
export function boxVoiStats(
  volume: Volume,
  cornerMm: Vec3,
  oppositeCornerMm: Vec3,
  options: VoiOptions = {},
): VoiStats {
  validateVolume(volume);
  return statsOf(
    volume,
    boxVoxels(volume.geometry, cornerMm, oppositeCornerMm),
    options,
    "box VOI",
  );
}

/**
 * Statistics inside a binary mask (non-zero = inside), e.g. a spleen segmentation; metrics as
 * in reference/suv.md §3.
 *
 * @param mask Uint8Array of the volume's length.
 * @throws TypeError/RangeError for a wrong mask length or an empty mask.
 */
export function maskVoiStats(volume: Volume, mask: Uint8Array, options: VoiOptions = {}): VoiStats {
  const n = validateVolume(volume);
  if (!(mask instanceof Uint8Array) || mask.length !== n) {
    throw new RangeError(
      `mask must be a Uint8Array of length ${n}, got length ${show((mask as { length?: number } | null)?.length)}`,
    );
  }
  return statsOf(
    volume,
    collectVoxels(volume.geometry, [0, 0, 0], [0, 0, 0], null, mask),
    options,
    "mask VOI",
  );
}

/**
 * Liver reference VOI: a sphere of 30 mm diameter placed in normal right-lobe liver
 * (PERCIST: Wahl et al. 2009 via reference/suv.md §3, Reference-region row). Returns mean,
 * SD, max and voxel count; feed mean and SD to `percistLiverThreshold`.
 *
 * @param centreMm sphere centre in patient coordinates, mm.
 * @param diameterMm sphere diameter (default 30 mm).
 * @throws as {@link sphereVoiStats}.
 */
export function liverReferenceStats(volume: Volume, centreMm: Vec3, diameterMm = 30): VoiStats {
  requirePositive("diameterMm", diameterMm);
  return sphereVoiStats(volume, centreMm, diameterMm / 2, { peak: false });
}

/**
 * PERCIST liver threshold straight from the image: places the 30 mm liver sphere and returns
 * t = 1.5 · mean + 2 · SD with the liver statistics it came from (Wahl et al. 2009 via
 * reference/suv.md §3 and Example S7). Pass a SUL volume for strict PERCIST.
 *
 * @param centreMm liver sphere centre in patient coordinates, mm.
 * @param diameterMm sphere diameter (default 30 mm).
 * @throws as {@link liverReferenceStats}.
 */
export function percistThresholdFromLiver(
  volume: Volume,
  centreMm: Vec3,
  diameterMm = 30,
): { readonly threshold: number; readonly liver: VoiStats } {
  const liver = liverReferenceStats(volume, centreMm, diameterMm);
  return { threshold: percistLiverThreshold(liver.mean, liver.sd), liver };
}

/**
 * Spleen reference VOI, from a mask or from a sphere (reference/suv.md §3 "Reference organs
 * on SSTR PET"; sphere default diameter 30 mm, a project choice, not from a guideline).
 *
 * @param spleen `{ mask }` or `{ centreMm, diameterMm? }`.
 * @throws as {@link maskVoiStats} / {@link sphereVoiStats}.
 */
export function spleenReferenceStats(
  volume: Volume,
  spleen: { readonly mask: Uint8Array } | { readonly centreMm: Vec3; readonly diameterMm?: number },
): VoiStats {
  if ("mask" in spleen) return maskVoiStats(volume, spleen.mask, { peak: false });
  const d = requirePositive("diameterMm", spleen.diameterMm ?? 30);
  return sphereVoiStats(volume, spleen.centreMm, d / 2, { peak: false });
}

/**
 * Tumour-to-reference ratio R = lesion SUV / reference SUV, e.g. T/L = lesion SUVmax ÷ liver
 * SUVmean (reference/suv.md §3, Example S8: 24.0 / 6.0 = 4.0; Kratochwil et al. Mol Imaging
 * Biol 2015). Store which metrics were used (max/mean) with the value.
 *
 * @param lesionSuv lesion SUV (finite, ≥ 0).
 * @param referenceSuv reference-organ SUV (> 0).
 * @throws TypeError/RangeError when not finite, lesion < 0 or reference ≤ 0.
 */
export function tumourToReferenceRatio(lesionSuv: number, referenceSuv: number): number {
  requireFinite("lesionSuv", lesionSuv);
  if (lesionSuv < 0) throw new RangeError(`lesionSuv must be >= 0, got ${lesionSuv}`);
  return lesionSuv / requirePositive("referenceSuv", referenceSuv);
}

/**
 * Tumour-to-liver ratio, see {@link tumourToReferenceRatio} (suv.md §3, Example S8 → 4.0).
 * @throws TypeError/RangeError when not finite, lesion < 0 or liver ≤ 0.
 */
export function tumourToLiverRatio(lesionSuv: number, liverSuv: number): number {
  requireFinite("lesionSuv", lesionSuv);
  requirePositive("liverSuv", liverSuv);
  return tumourToReferenceRatio(lesionSuv, liverSuv);
}

/**
 * Tumour-to-spleen ratio, see {@link tumourToReferenceRatio} (suv.md §3, Example S8: 24/20 → 1.2).
 * @throws TypeError/RangeError when not finite, lesion < 0 or spleen ≤ 0.
 */
export function tumourToSpleenRatio(lesionSuv: number, spleenSuv: number): number {
  requireFinite("lesionSuv", lesionSuv);
  requirePositive("spleenSuv", spleenSuv);
  return tumourToReferenceRatio(lesionSuv, spleenSuv);
}
