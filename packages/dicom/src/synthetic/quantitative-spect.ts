/**
 * Deterministic synthetic quantitative SPECT (177Lu post-therapy, NM modality) for tests: the
 * whole-body uptake pattern of {@link generateWholeBodyPet} expressed as reconstructed counts
 * (Units CNTS, not decay-corrected) with a known system calibration factor, and a writer of NM
 * Image Storage single-frame slices.
 *
 * Why single-frame slices: the API ingest indexes NM multi-frame objects, but the viewer builds
 * its Cornerstone volume from one WADO-RS image id per frame with the instance's own metadata,
 * and Cornerstone 5.14's WADO-RS image-plane metadata for a classic (non-enhanced) NM
 * multi-frame object gives every frame the instance's one Image Position (Patient) (per-frame
 * positions are left to the application via its NM_MULTIFRAME_GEOMETRY module). Single-frame NM
 * slices are what ingest, SUV derivation and viewer all support end to end.
 *
 * Counts model (the inverse of the server's SPECT_CALIBRATED derivation):
 * counts = C̄ [Bq/mL] × V [mL] × 1e-6 [MBq/Bq] × CF [cps/MBq] × D [s], where C̄ is the
 * activity concentration averaged over the acquisition, CF the calibration factor and D the
 * acquisition duration; SUVbw = C̄ × weight[g] / (A₀ · 2^(−(Δt + T_ave)/T½)) with
 * T_ave = frameAverageTimeS(D, T½) (reference/suv.md §2.3, the time at which the instantaneous
 * rate equals the average rate).
 */
import { frameAverageTimeS } from "../qa.js";
import type { VolumeGeometry } from "../volume.js";
import {
  writeEmissionSeries,
  type SyntheticPetMetadata,
  type WritePetSeriesOptions,
  type WrittenFile,
} from "./pet-series-writer.js";
import {
  generateWholeBodyPet,
  type SyntheticLesion,
  type WholeBodyPetOptions,
} from "./whole-body-pet.js";

/** 177Lu half-life, s (6.647 d; ENSDF/NuDat, reference/radionuclides.md §2). */
export const LU177_HALF_LIFE_S = 574300.8;

/** Options of {@link generateWholeBodySpect}: the PET options (grid, lesions, seed) and the SPECT physics. */
export interface WholeBodySpectOptions extends Omit<
  WholeBodyPetOptions,
  "halfLifeS" | "injectedActivityBq" | "uptakeTimeS"
> {
  /** Administered 177Lu activity, Bq. Default 7.4 GBq. */
  injectedActivityBq?: number;
  /** Administration → acquisition start, s. Default 24 h. */
  uptakeTimeS?: number;
  /** Acquisition duration D, s (Actual Frame Duration). Default 1200 s. */
  acquisitionDurationS?: number;
  /** System calibration factor, counts per second per MBq. Default 12. */
  calibrationFactorCpsPerMBq?: number;
}

/** Output of {@link generateWholeBodySpect}. */
export interface SyntheticWholeBodySpect {
  /** Reconstructed counts per voxel (Units CNTS), x fastest, then y, then z. */
  counts: Float32Array;
  geometry: VolumeGeometry;
  /** Lesions: `suv` and `concentrationBqPerMl` (acquisition average) are the ground truth. */
  lesions: SyntheticLesion[];
  /** Acquisition-average activity concentration (Bq/mL) per count: C̄ = counts × this. */
  bqPerMlPerCount: number;
  /** Acquisition-average Bq/mL per unit SUVbw. */
  bqPerMlPerSuv: number;
  /** SUVbw per count (what the server's factor must be). */
  suvPerCount: number;
  calibrationFactorCpsPerMBq: number;
  acquisitionDurationS: number;
  /** Administration → decay reference (acquisition start + T_ave), s. */
  decayS: number;
  /** Header content for {@link writeSpectSeries} (Units CNTS, not decay-corrected, 177Lu). */
  metadata: SyntheticPetMetadata;
  organSuv: Record<
    "background" | "legs" | "head" | "liver" | "spleen" | "kidney" | "bladder",
    number
  >;
}

/**
 * Generates a quantitative 177Lu SPECT volume (counts) with known activity concentration.
 *
 * @param options - grid, lesions, seed, weight, administered activity, timing, CF.
 * @returns counts, geometry, conversion factors and ground truth, matching NM header metadata.
 * @throws RangeError for non-positive dims, duration or calibration factor.
 */
export function generateWholeBodySpect(
  options: WholeBodySpectOptions = {},
): SyntheticWholeBodySpect {
  const dose = options.injectedActivityBq ?? 7.4e9;
  const uptake = options.uptakeTimeS ?? 24 * 3600;
  const durationS = options.acquisitionDurationS ?? 1200;
  const cf = options.calibrationFactorCpsPerMBq ?? 12;
  if (!(durationS > 0 && Number.isFinite(durationS)))
    throw new RangeError(`acquisitionDurationS must be > 0, got ${durationS}`);
  if (!(cf > 0 && Number.isFinite(cf)))
    throw new RangeError(`calibrationFactorCpsPerMBq must be > 0, got ${cf}`);
  const weightKg = options.weightKg ?? 75;
  const pet = generateWholeBodyPet({
    ...options,
    weightKg,
    injectedActivityBq: dose,
    uptakeTimeS: uptake,
    halfLifeS: LU177_HALF_LIFE_S,
  });
  const decayS = uptake + frameAverageTimeS(durationS, LU177_HALF_LIFE_S);
  const bqPerMlPerSuv = (dose * Math.pow(2, -decayS / LU177_HALF_LIFE_S)) / (weightKg * 1000);
  const [sx, sy, sz] = pet.geometry.spacingMm;
  const voxelMl = (sx * sy * sz) / 1000;
  const countsPerBqPerMl = voxelMl * 1e-6 * cf * durationS;
  const counts = new Float32Array(pet.data.length);
  const perPetUnit = (bqPerMlPerSuv / pet.bqPerMlPerSuv) * countsPerBqPerMl;
  for (let i = 0; i < counts.length; i++) counts[i] = (pet.data[i] as number) * perPetUnit;
  const lesions = pet.lesions.map((l) => ({ ...l, concentrationBqPerMl: l.suv * bqPerMlPerSuv }));
  const metadata: SyntheticPetMetadata = {
    ...pet.metadata,
    uidKey: pet.metadata.uidKey.replace("lutetia-wb-pet", "lutetia-wb-spect"),
    radiopharmaceutical: "Lu-177 DOTATATE (synthetic)",
    radionuclideCodeMeaning: "^177^Lutetium",
    radionuclideHalfLifeS: LU177_HALF_LIFE_S,
    radionuclideTotalDoseBq: dose,
    units: "CNTS",
    decayCorrection: "NONE",
    correctedImage: ["ATTN", "SCAT"],
    frameDurationMs: durationS * 1000,
    seriesDescription: "Synthetic 177Lu SPECT",
  };
  return {
    counts,
    geometry: pet.geometry,
    lesions,
    bqPerMlPerCount: 1 / countsPerBqPerMl,
    bqPerMlPerSuv,
    suvPerCount: 1 / (countsPerBqPerMl * bqPerMlPerSuv),
    calibrationFactorCpsPerMBq: cf,
    acquisitionDurationS: durationS,
    decayS,
    metadata,
    organSuv: pet.organSuv,
  };
}

/**
 * Writes a SPECT volume as NM Image Storage (1.2.840.10008.5.1.4.1.1.20), one single-frame
 * instance per slice (see the module comment for why), 16-bit stored values with a per-slice
 * Rescale Slope (quantisation as {@link writePetSeries}). Defaults: Units CNTS, Decay Correction
 * NONE, Corrected Image ATTN\SCAT.
 *
 * @param counts - reconstructed counts (or Bq/mL with `meta.units` BQML).
 * @param geometry - dims, spacing (mm), origin (mm), direction cosines.
 * @param meta - header content (e.g. {@link SyntheticWholeBodySpect.metadata}).
 * @param options - transfer syntax; per-slice mutation hook.
 * @returns files named `slice-0001.dcm` … in z order.
 * @throws DicomParseError `INVALID_ARGUMENT` when the length does not match the dims or a value is not finite.
 */
export function writeSpectSeries(
  counts: Float32Array,
  geometry: VolumeGeometry,
  meta: SyntheticPetMetadata,
  options: WritePetSeriesOptions = {},
): WrittenFile[] {
  return writeEmissionSeries(
    counts,
    geometry,
    {
      ...meta,
      units: meta.units ?? "CNTS",
      decayCorrection: meta.decayCorrection ?? "NONE",
      correctedImage: meta.correctedImage ?? ["ATTN", "SCAT"],
    },
    options,
    "NM",
  );
}
