import { geometryWithAxisColumns, readSeries, type NamedBytes } from "@lutetia/dicom";
import {
  applyPerSliceRescale,
  liverReferenceStats,
  percistLiverThreshold,
  segmentLesions,
  spleenReferenceStats,
  suggestedKrenningScore,
  type LesionStats,
  type Volume,
  type VoiStats,
} from "@lutetia/quantification";
import { z } from "zod";

/**
 * The computation of a quantification job: series files → SUV volume → reference organs →
 * lesion segmentation (THRESHOLD / PERCENT_MAX / PERCIST) → candidates. Pure apart from the
 * bytes handed in; all maths comes from @lutetia/quantification.
 */
export const ALGORITHM = { name: "lutetia.segment-lesions", version: "1.0.0", library: "@lutetia/quantification@0.1.0" } as const;

const vec3 = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);
export const QuantParams = z.object({
  /** THRESHOLD: absolute SUVbw threshold (inclusive). PERCENT_MAX: seed threshold for finding lesions. */
  threshold: z.number().positive("must be > 0 SUV").max(100, "must be ≤ 100 SUV").optional(),
  /** PERCENT_MAX: fraction of each lesion's SUVmax, in percent (default 41, EANM). */
  percentOfMax: z.number().gt(0, "must be > 0 %").max(100, "must be ≤ 100 %").optional(),
  /** Drop components below this volume (mL). Default 0.5 mL. */
  minVolumeMl: z.number().min(0, "must be ≥ 0 mL").max(1000).optional(),
  /** Liver reference VOI centre (patient coordinates, mm; PERCIST 3 cm sphere). */
  liverCentreMm: vec3.optional(),
  liverDiameterMm: z.number().min(10).max(60).optional(),
  /** Spleen reference VOI centre (mm) and sphere diameter (default 30 mm). */
  spleenCentreMm: vec3.optional(),
  spleenDiameterMm: z.number().min(10).max(60).optional(),
  /** Keep at most this many candidates, highest SUVmax first (default 200). */
  maxCandidates: z.number().int().min(1).max(1000).optional(),
});
export type QuantParams = z.infer<typeof QuantParams>;
export type QuantMethod = "THRESHOLD" | "PERCENT_MAX" | "PERCIST";

/** A permanent failure (bad input, QA blocking): the job fails without retry, with this message. */
export class JobFailure extends Error {}

type Vec3 = [number, number, number];

export interface CandidateOut {
  stats: LesionStats;
  krenningSuggested: number | null;
  threshold: number;
}

export interface QuantOutput {
  candidates: CandidateOut[];
  liver: (VoiStats & { centreMm: Vec3; diameterMm: number }) | null;
  spleen: (VoiStats & { centreMm: Vec3; diameterMm: number }) | null;
  threshold: number | null;
  rule: string;
  bodyCentroidMm: Vec3 | null;
  tmtvMl: number;
  totalTlg: number;
  voxelVolumeMl: number;
  droppedComponents: number;
}

/**
 * Suggested Krenning score from SUVs (shared/reference/response-criteria.md §6.1
 * `suggestedKrenning`; an implementation convenience, not a validated definition — shown as
 * "suggested", the physician decides): > spleen mean → 4, > liver mean → 3, ≥ 0.8 × liver → 2, else 1.
 */
export function suggestedKrenning(lesionSuvMax: number, liverMean: number | null, spleenMean: number | null): number | null {
  if (liverMean === null || spleenMean === null || !(liverMean > 0) || !(spleenMean > 0)) return null;
  return suggestedKrenningScore({ lesionId: "candidate", lesionUptake: lesionSuvMax, liverUptake: liverMean, spleenUptake: spleenMean, visible: true, modality: "SSTR_PET" }).grade;
}

/**
 * Builds the SUVbw volume of a series: rescaled values × SUV factor (per instance when the
 * factor differs per slice, Philips CNTS). The @lutetia/dicom direction (rows = row, column,
 * normal cosines) is transposed to @lutetia/quantification's convention (columns = axes).
 */
export async function suvVolume(files: NamedBytes[], factor: number, perInstance: Record<string, number> | null, onProgress?: (f: number) => void): Promise<Volume & { sopUids: (string | undefined)[] }> {
  const vol = await readSeries(files, { onIrregularSpacing: "warn", onProgress });
  const [nx, ny, nz] = vol.geometry.dims;
  const data = vol.data;
  const factors = vol.slices.map((s) => (perInstance && s.sopInstanceUid && perInstance[s.sopInstanceUid] !== undefined ? perInstance[s.sopInstanceUid]! : factor));
  // vol.data already holds rescaled values: slope 1 / intercept 0 applies only the SUV factors.
  applyPerSliceRescale(data, nx * ny, new Float64Array(nz).fill(1), new Float64Array(nz), factors, data);
  return {
    data,
    geometry: geometryWithAxisColumns(vol.geometry),
    sopUids: vol.slices.map((s) => s.sopInstanceUid),
  };
}

/** Centroid (mm) of voxels with SUV ≥ 0.3 — the body outline, for cross-study alignment. */
export function bodyCentroid(v: Volume, bodyThreshold = 0.3): Vec3 | null {
  const [nx, ny, nz] = v.geometry.dims;
  let si = 0, sj = 0, sk = 0, n = 0;
  const d = v.data;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      const row = (k * ny + j) * nx;
      for (let i = 0; i < nx; i++) {
        if (d[row + i]! >= bodyThreshold) {
          si += i; sj += j; sk += k; n++;
        }
      }
    }
  if (n === 0) return null;
  const g = v.geometry;
  const idx = [si / n, sj / n, sk / n];
  const p: Vec3 = [g.originMm[0], g.originMm[1], g.originMm[2]];
  for (let axis = 0; axis < 3; axis++) {
    for (let r = 0; r < 3; r++) p[r] = p[r]! + (g.direction[r * 3 + axis] ?? 0) * g.spacingMm[axis]! * idx[axis]!;
  }
  return p;
}

/**
 * Runs the method on an SUV volume.
 * - THRESHOLD: SUV ≥ params.threshold (default 2.5).
 * - PERCENT_MAX: lesions found at the seed threshold (params.threshold, default 2.5), each then
 *   re-segmented at percentOfMax (default 41 %) of its own SUVmax inside its bounding box + 2 voxels.
 * - PERCIST: SUV ≥ 1.5 × liver mean + 2 × liver SD in the 3 cm liver sphere (needs liverCentreMm).
 * @throws JobFailure for missing inputs (e.g. PERCIST without a liver VOI).
 */
export function quantify(v: Volume, method: QuantMethod, params: QuantParams, onProgress?: (f: number) => void): QuantOutput {
  const minVolumeMl = params.minVolumeMl ?? 0.5;
  const liver = params.liverCentreMm ? { ...liverReferenceStats(v, params.liverCentreMm, params.liverDiameterMm ?? 30), centreMm: params.liverCentreMm as Vec3, diameterMm: params.liverDiameterMm ?? 30 } : null;
  const spleen = params.spleenCentreMm
    ? { ...spleenReferenceStats(v, { centreMm: params.spleenCentreMm, diameterMm: params.spleenDiameterMm ?? 30 }), centreMm: params.spleenCentreMm as Vec3, diameterMm: params.spleenDiameterMm ?? 30 }
    : null;
  if (liver && liver.voxelCount === 0) throw new JobFailure("liver reference sphere lies outside the image");
  if (spleen && spleen.voxelCount === 0) throw new JobFailure("spleen reference sphere lies outside the image");
  onProgress?.(0.1);
  let threshold: number;
  let rule: string;
  if (method === "PERCIST") {
    if (!liver) throw new JobFailure("PERCIST needs a liver reference VOI: set params.liverCentreMm (patient coordinates, mm)");
    threshold = percistLiverThreshold(liver.mean, liver.sd);
    rule = `PERCIST: SUV >= 1.5 x liver mean (${liver.mean.toFixed(3)}) + 2 x SD (${liver.sd.toFixed(3)}) in a ${liver.diameterMm} mm sphere`;
  } else {
    threshold = params.threshold ?? 2.5;
    rule = method === "THRESHOLD" ? `SUV >= ${threshold}` : `seed SUV >= ${threshold}, then >= ${params.percentOfMax ?? 41}% of each lesion's SUVmax`;
  }
  const seg = segmentLesions(v, { threshold, rule, minVolumeMl, onProgress: (f) => onProgress?.(0.1 + 0.6 * f) });
  let lesions: { stats: LesionStats; threshold: number }[] = seg.lesions.map((s) => ({ stats: s, threshold }));
  let dropped = seg.droppedComponents;
  if (method === "PERCENT_MAX") {
    const pct = (params.percentOfMax ?? 41) / 100;
    const [nx, ny, nz] = v.geometry.dims;
    const mask = new Uint8Array(v.data.length);
    lesions = [];
    seg.lesions.forEach((s, n) => {
      mask.fill(0);
      const lo = s.bboxMin.map((x) => Math.max(0, x - 2));
      const hi = [Math.min(nx - 1, s.bboxMax[0] + 2), Math.min(ny - 1, s.bboxMax[1] + 2), Math.min(nz - 1, s.bboxMax[2] + 2)];
      for (let k = lo[2]!; k <= hi[2]!; k++) for (let j = lo[1]!; j <= hi[1]!; j++) mask.fill(1, (k * ny + j) * nx + lo[0]!, (k * ny + j) * nx + hi[0]! + 1);
      const t = pct * s.suvMax;
      const sub = segmentLesions(v, { threshold: t, voiMask: mask, minVolumeMl, rule });
      const best = sub.lesions.reduce<LesionStats | null>((b, x) => (!b || x.suvMax > b.suvMax ? x : b), null);
      if (best) lesions.push({ stats: best, threshold: t });
      else dropped++;
      onProgress?.(0.7 + (0.2 * (n + 1)) / Math.max(1, seg.lesions.length));
    });
  }
  lesions.sort((a, b) => b.stats.suvMax - a.stats.suvMax);
  const kept = lesions.slice(0, params.maxCandidates ?? 200);
  const vml = seg.voxelVolumeMl;
  return {
    candidates: kept.map((l) => ({ stats: l.stats, threshold: l.threshold, krenningSuggested: suggestedKrenning(l.stats.suvMax, liver?.mean ?? null, spleen?.mean ?? null) })),
    liver,
    spleen,
    threshold: method === "PERCENT_MAX" ? null : threshold,
    rule,
    bodyCentroidMm: bodyCentroid(v),
    tmtvMl: kept.reduce((s, l) => s + l.stats.volumeMl, 0),
    totalTlg: kept.reduce((s, l) => s + l.stats.tlg, 0),
    voxelVolumeMl: vml,
    droppedComponents: dropped,
  };
}
