import { requireFinite, requireNonNegative, requirePositive } from "../internal/validate.js";
import { indexToPatientMm, validateVolume, type Volume } from "./geometry.js";
import { labelAboveThreshold26 } from "./label.js";
import { peakOverCentres, sphereKernel, sphereRadiusMm } from "./peak.js";

/** Options of {@link segmentLesions}. */
export interface SegmentLesionsOptions {
  /** SUV threshold; voxels with SUV ≥ threshold are lesion (inclusive, suv.md §3). */
  readonly threshold: number;
  /** Free-text record of the rule that produced the threshold, stored with the result (suv.md §3). */
  readonly rule?: string;
  /** Restrict segmentation to this VOI mask (non-zero = inside), e.g. for a % of SUVmax rule. */
  readonly voiMask?: Uint8Array;
  /** Drop components smaller than this volume in mL (default 0 = keep all). */
  readonly minVolumeMl?: number;
  /** Compute SUVpeak (default true). */
  readonly suvPeak?: boolean;
  /** SUVpeak sphere volume in mL (default 1, PERCIST). */
  readonly peakSphereVolumeMl?: number;
  /** Progress callback, fraction in [0, 1]. */
  readonly onProgress?: (fraction: number) => void;
  /** Reuse a labels buffer (Int32Array of the volume's length); it is zero-filled first. */
  readonly labelsOut?: Int32Array;
}

type Vec3 = [number, number, number];

/** Statistics of one connected lesion (suv.md §3 "Lesion and whole-body metrics"). */
export interface LesionStats {
  /** Label in `labels` (1..lesions.length after filtering). */
  readonly label: number;
  readonly voxelCount: number;
  /** voxelCount × voxel volume, mL. */
  readonly volumeMl: number;
  readonly suvMax: number;
  /** Voxel index [i, j, k] of SUVmax (first in scan order on ties). */
  readonly suvMaxIndex: Vec3;
  readonly suvMean: number;
  /** Sample standard deviation (n − 1; 0 for a single voxel). */
  readonly suvSd: number;
  /** Highest 1 cm³-sphere mean centred on a lesion voxel, or null when disabled. */
  readonly suvPeak: number | null;
  /** Patient coordinates (mm) of the SUVpeak sphere centre, or null. */
  readonly suvPeakCentreMm: Vec3 | null;
  /** TLG = SUVmean × volumeMl (suv.md §3), "g". */
  readonly tlg: number;
  /** Unweighted centroid of the voxel centres in patient coordinates, mm. */
  readonly centroidMm: Vec3;
  /** Inclusive voxel-index bounding box. */
  readonly bboxMin: Vec3;
  readonly bboxMax: Vec3;
}

/** Result of {@link segmentLesions}. */
export interface LesionSegmentation {
  readonly threshold: number;
  readonly rule: string | null;
  readonly lesions: readonly LesionStats[];
  /** Per-voxel label of the kept lesions (0 = background or dropped). */
  readonly labels: Int32Array;
  /** Voxels ≥ threshold (inside the VOI mask) before the minVolumeMl filter. */
  readonly thresholdedVoxelCount: number;
  /** Components removed by minVolumeMl. */
  readonly droppedComponents: number;
  /** Total metabolic (SSTR) tumour volume Σ volumeMl of kept lesions, mL. */
  readonly tmtvMl: number;
  /** Σ TLG of kept lesions. Components are disjoint, so nothing is double-counted (suv.md §3). */
  readonly totalTlg: number;
  readonly voxelVolumeMl: number;
  /** The discretised SUVpeak sphere actually used. */
  readonly peakSphere: {
    readonly volumeMl: number;
    readonly radiusMm: number;
    readonly voxelCount: number;
  } | null;
}

/**
 * Threshold segmentation of an SUV volume into 26-connected lesions with per-lesion SUVmax,
 * SUVmean, SUVpeak, volume, TLG, centroid and bounding box, plus TMTV and total TLG
 * (reference/suv.md §3; Wahl 2009 PERCIST and O, Lodge & Wahl, Radiology 2016 for SUVpeak).
 *
 * Formulas: volumeMl = n · sx·sy·sz / 1000; SUVmean = Σ SUV / n; TLG = SUVmean · volumeMl;
 * SUVpeak = max over lesion voxels c of mean{SUV(v) : |v − c| ≤ r}, r = (3·V/4π)^(1/3) with
 * V = 1 cm³ (6.2035 mm), voxels counted when their centre lies in the sphere, sphere voxels
 * outside the image skipped; centroid = origin + D·(spacing ⊙ mean index).
 * Runs in O(N + Σ lesion voxels × sphere voxels).
 *
 * @param volume SUV volume (Float32Array + geometry).
 * @param options threshold (SUV ≥ t), VOI restriction, minVolumeMl, SUVpeak settings, progress.
 * @throws TypeError/RangeError for an invalid volume, non-finite threshold, negative
 *   minVolumeMl, non-positive peakSphereVolumeMl or buffers of the wrong length.
 */
export function segmentLesions(volume: Volume, options: SegmentLesionsOptions): LesionSegmentation {
  validateVolume(volume);
  const threshold = requireFinite("threshold", options.threshold);
  const minVolumeMl = requireNonNegative("minVolumeMl", options.minVolumeMl ?? 0);
  const g = volume.geometry;
  const [nx, ny] = g.dims;
  const nxy = nx * ny;
  const vml = (g.spacingMm[0] * g.spacingMm[1] * g.spacingMm[2]) / 1000;
  const doPeak = options.suvPeak ?? true;
  const peakVolume = requirePositive("peakSphereVolumeMl", options.peakSphereVolumeMl ?? 1);
  const radius = sphereRadiusMm(peakVolume);
  const progress = options.onProgress;

  const n = g.dims[0] * g.dims[1] * g.dims[2];
  if (options.voiMask !== undefined && options.voiMask.length !== n) {
    throw new RangeError(`voiMask.length must equal ${n}, got ${options.voiMask.length}`);
  }
  let labelsBuf = options.labelsOut;
  if (labelsBuf !== undefined) {
    if (labelsBuf.length !== n)
      throw new RangeError(`labelsOut.length must equal ${n}, got ${labelsBuf.length}`);
    labelsBuf.fill(0);
  } else labelsBuf = new Int32Array(n);
  // Compare at the data's precision so that a voxel stored as float32(t) counts as SUV ≥ t.
  const lab = labelAboveThreshold26(
    volume.data,
    g.dims,
    Math.fround(threshold),
    options.voiMask,
    labelsBuf,
    progress === undefined ? undefined : (f) => progress(0.7 * f),
  );
  const thresholded = lab.voxelOrder.length;
  const { labels, voxelOrder, componentStart } = lab;
  const data = volume.data;
  const kernel = doPeak ? sphereKernel(g, radius) : null;
  const lesions: LesionStats[] = [];
  let dropped = 0;
  let tmtv = 0;
  let totalTlg = 0;
  for (let c = 0; c < lab.count; c++) {
    const from = componentStart[c]!;
    const to = componentStart[c + 1]!;
    const count = to - from;
    const volumeMl = count * vml;
    if (volumeMl < minVolumeMl) {
      dropped++;
      for (let q = from; q < to; q++) labels[voxelOrder[q]!] = 0;
      continue;
    }
    const newLabel = lesions.length + 1;
    let sum = 0;
    let sumSq = 0;
    let max = Number.NEGATIVE_INFINITY;
    let argmax = -1;
    let sx = 0;
    let sy = 0;
    let sz = 0;
    let minX = Infinity,
      minY = Infinity,
      minZ = Infinity,
      maxX = -1,
      maxY = -1,
      maxZ = -1;
    for (let q = from; q < to; q++) {
      const p = voxelOrder[q]!;
      labels[p] = newLabel;
      const v = data[p]!;
      sum += v;
      sumSq += v * v;
      if (v > max || (v === max && p < argmax)) {
        max = v;
        argmax = p;
      }
      const z = (p / nxy) | 0;
      const rem = p - z * nxy;
      const y = (rem / nx) | 0;
      const x = rem - y * nx;
      sx += x;
      sy += y;
      sz += z;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (z < minZ) minZ = z;
      if (z > maxZ) maxZ = z;
    }
    const mean = sum / count;
    const variance = count > 1 ? Math.max(0, (sumSq - sum * mean) / (count - 1)) : 0;
    let suvPeak: number | null = null;
    let peakCentre: Vec3 | null = null;
    if (kernel !== null) {
      const pk = peakOverCentres(data, g, kernel, voxelOrder, from, to);
      suvPeak = pk.value;
      const pz = (pk.centre / nxy) | 0;
      const pr = pk.centre - pz * nxy;
      const py = (pr / nx) | 0;
      peakCentre = indexToPatientMm(g, pr - py * nx, py, pz);
    }
    const az = (argmax / nxy) | 0;
    const ar = argmax - az * nxy;
    const ay = (ar / nx) | 0;
    const tlg = mean * volumeMl;
    tmtv += volumeMl;
    totalTlg += tlg;
    lesions.push({
      label: newLabel,
      voxelCount: count,
      volumeMl,
      suvMax: max,
      suvMaxIndex: [ar - ay * nx, ay, az],
      suvMean: mean,
      suvSd: Math.sqrt(variance),
      suvPeak,
      suvPeakCentreMm: peakCentre,
      tlg,
      centroidMm: indexToPatientMm(g, sx / count, sy / count, sz / count),
      bboxMin: [minX, minY, minZ],
      bboxMax: [maxX, maxY, maxZ],
    });
    if (progress !== undefined && (c & 15) === 15) progress(0.7 + (0.3 * (c + 1)) / lab.count);
  }
  progress?.(1);
  return {
    threshold,
    rule: options.rule ?? null,
    lesions,
    labels,
    thresholdedVoxelCount: thresholded,
    droppedComponents: dropped,
    tmtvMl: tmtv,
    totalTlg,
    voxelVolumeMl: vml,
    peakSphere:
      kernel === null ? null : { volumeMl: peakVolume, radiusMm: radius, voxelCount: kernel.count },
  };
}
