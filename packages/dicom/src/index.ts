// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- ambient codec declarations must reach workspaces that typecheck this source
/// <reference path="./codec-modules.d.ts" />
/**
 * @lutetia/dicom — DICOM Part 10 reading, series → volume, PET/SPECT quantitative metadata,
 * PET QA gate and a synthetic PET series writer. Runs unchanged in Node and in the browser.
 */
export { DicomParseError, type DicomErrorCode, type DicomParseErrorDetails } from "./errors.js";
export type { Finding } from "./findings.js";
export {
  transferSyntaxInfo,
  TransferSyntaxUids,
  type TransferSyntaxInfo,
  type PixelEncoding,
} from "./transfer-syntax.js";
export {
  parseDecimalString,
  parseDecimalStrings,
  parseDicomDate,
  parseDicomTime,
  parseDicomDateTime,
  combineDateTime,
  formatDicomDateTime,
  type ParsedDecimal,
} from "./values.js";
export {
  parseDicomPart10,
  findPrivateTag,
  sequenceItems,
  formatTag,
  type DicomInstance,
  type ImagePixelDescription,
  type ParseOptions,
  type Vec3,
} from "./parse.js";
export {
  readStoredFrameSync,
  decodeFrame,
  decodeRleFrame,
  isSyncDecodable,
  type StoredPixelArray,
} from "./pixels.js";
export {
  assembleVolume,
  assembleVolumeAsync,
  groupBySeries,
  readSeries,
  geometryWithAxisColumns,
  voxelToPatientMm,
  type AssembleOptions,
  type NamedBytes,
  type ReadSeriesOptions,
  type SeriesVolume,
  type SliceInfo,
  type Volume,
  type VolumeGeometry,
} from "./volume.js";
export { identifyNuclide, nuclideFromHalfLife, type NuclideInfo } from "./nuclides.js";
export {
  extractPetMetadata,
  coercePetMetadata,
  type PetInstanceMetadata,
  type PhilipsPetPrivateGroup,
  type CodedEntry,
} from "./pet-metadata.js";
export {
  runPetQa,
  frameAverageTimeS,
  DEFAULT_DECAY_TIME_POLICY,
  type DecayTimePolicy,
  type PetQaOverrides,
  type PetQaOptions,
  type PetQaResult,
  type AppliedOverride,
} from "./qa.js";
export { mulberry32, uidFromKey, type Prng } from "./synthetic/prng.js";
export {
  encodePart10,
  encodeElements,
  encodeRleFrame,
  WRITABLE_TRANSFER_SYNTAXES,
  type DicomElementSpec,
  type ElementValue,
} from "./synthetic/encoder.js";
export {
  writePetSeries,
  formatDs,
  type SyntheticPetMetadata,
  type WritePetSeriesOptions,
  type WrittenFile,
} from "./synthetic/pet-series-writer.js";
export {
  generateWholeBodyPet,
  type WholeBodyPetOptions,
  type SyntheticLesion,
  type SyntheticWholeBodyPet,
} from "./synthetic/whole-body-pet.js";
export {
  generateCtForPet,
  writeCtSeries,
  SYNTHETIC_CT_HU,
  SYNTHETIC_CT_RESCALE_INTERCEPT,
  type SyntheticCt,
  type SyntheticCtMetadata,
} from "./synthetic/ct-series.js";
export {
  generateWholeBodySpect,
  writeSpectSeries,
  LU177_HALF_LIFE_S,
  type WholeBodySpectOptions,
  type SyntheticWholeBodySpect,
} from "./synthetic/quantitative-spect.js";
export { toSuvInstanceMetadata, type SuvInstanceMetadata } from "./suv-input.js";
