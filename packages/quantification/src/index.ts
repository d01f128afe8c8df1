/**
 * @lutetia/quantification — pure maths for theranostics: units and decay, SUV, volume analysis.
 * No I/O, no `node:` modules, no workspace imports: runs unchanged in Node, the browser and Web Workers.
 */

// Units and decay (reference/radionuclides.md)
export { NUCLIDES, getNuclide, halfLifeS } from "./units/nuclides.js";
export type { HalfLifeEvaluation, NuclideData, NuclideId } from "./units/nuclides.js";
export {
  activityAfterDecay,
  activityAtTime,
  activityBeforeDecay,
  decayConstantPerS,
  decayFactor,
  effectiveHalfLife,
  netAdministeredActivity,
} from "./units/decay.js";
export type { NetAdministeredActivity, NetAdministeredActivityInput } from "./units/decay.js";
export { elapsedSeconds, instantToEpochMs } from "./units/time.js";
export type { Instant } from "./units/time.js";
export {
  BQ_PER_MCI,
  bqPerMlToKbqPerMl,
  bqToMbq,
  gbqToMbq,
  gbqToMci,
  kbqPerMlToBqPerMl,
  mbqToBq,
  mbqToGbq,
  mbqToMci,
  mciToGbq,
  mciToMbq,
} from "./units/convert.js";

// SUV (reference/suv.md §1–§2)
export type { PetSuvMetadata } from "./suv/pet-metadata.js";
export { computeSuvFactors } from "./suv/suv-factors.js";
export type {
  OtherSexPolicy,
  ReferenceTimeSource,
  SuvFactorOptions,
  SuvFactorsFailure,
  SuvFactorsOk,
  SuvFactorsResult,
  SuvInputs,
  SuvMethod,
  SuvReason,
  ReferenceTimePolicy,
  SuvReasonCode,
} from "./suv/suv-factors.js";
export {
  bmi,
  bsaDuBoisM2,
  ibwKg,
  lbmJamesKg,
  lbmJanmahasatianKg,
  lbmMorganKg,
  suvbsaFromSuvbw,
  suvbwFromConcentration,
  suvFromSuvbwByMass,
} from "./suv/body-size.js";
export type { LbmFormula, Sex } from "./suv/body-size.js";
export { spectBqPerMl, spectCountsToBqPerMl, spectSuvbwFactor } from "./suv/spect.js";
export type { SpectSuvFactor, SpectSuvInput } from "./suv/spect.js";
export { applyPerSliceRescale, applyScaleFactor } from "./suv/apply.js";
export type { NumericTypedArray } from "./suv/apply.js";

// Volume analysis (reference/suv.md §3)
export {
  IDENTITY_DIRECTION,
  indexToPatientMm,
  patientMmToIndex,
  validateGeometry,
  validateVolume,
  voxelVolumeMl,
} from "./volume/geometry.js";
export type { Volume, VolumeGeometry } from "./volume/geometry.js";
export {
  percistBloodPoolThreshold,
  percistLiverThreshold,
  relativeThresholdInVoi,
  thresholdMask,
} from "./volume/threshold.js";
export { labelComponents26 } from "./volume/label.js";
export type { ComponentLabels } from "./volume/label.js";
export { segmentLesions } from "./volume/segment.js";
export type { LesionSegmentation, LesionStats, SegmentLesionsOptions } from "./volume/segment.js";
export { sphereRadiusMm } from "./volume/peak.js";
export {
  boxMask,
  boxVoiStats,
  ellipsoidMask,
  ellipsoidVoiStats,
  liverReferenceStats,
  maskVoiStats,
  percistThresholdFromLiver,
  sphereVoiStats,
  spleenReferenceStats,
  tumourToLiverRatio,
  tumourToReferenceRatio,
  tumourToSpleenRatio,
} from "./volume/voi.js";
export type { VoiOptions, VoiStats } from "./volume/voi.js";

// Response criteria (reference/response-criteria.md) and dosimetry (reference/dosimetry.md)
export * from "./response/index.js";
export * from "./dosimetry/index.js";
