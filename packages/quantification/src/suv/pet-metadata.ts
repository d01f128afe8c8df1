/**
 * SUV-relevant PET attributes of one DICOM instance, with the DICOM keyword names used by
 * @cornerstonejs/calculate-suv's `InstanceMetadata` (suv.md §2.1 attribute table).
 * Declared structurally here so `@lutetia/dicom` can produce it without importing this package.
 * Numeric DS values may arrive as strings ("3.885e+008", "0.003515736 "); they are parsed and
 * validated by {@link computeSuvFactors}. `null`/`undefined` mean "absent".
 */
export interface PetSuvMetadata {
  /** Corrected Image (0028,0051): must contain ATTN and DECY. */
  readonly CorrectedImage?: string | readonly string[] | null;
  /** Units (0054,1001): BQML, CNTS, GML supported. */
  readonly Units?: string | null;
  /** Radionuclide Half Life (0018,1075), seconds. */
  readonly RadionuclideHalfLife?: number | string | null;
  /** Radionuclide Total Dose (0018,1074), Bq (MBq values detected, suv.md §2.1). */
  readonly RadionuclideTotalDose?: number | string | null;
  /** Decay Correction (0054,1102): START, ADMIN or NONE. */
  readonly DecayCorrection?: string | null;
  /** Patient's Weight (0010,1030), kg (values > 1000 are taken as grams, IBSI rule). */
  readonly PatientWeight?: number | string | null;
  /** Series Date (0008,0021), DA. */
  readonly SeriesDate?: string | null;
  /** Series Time (0008,0031), TM. */
  readonly SeriesTime?: string | null;
  /** Acquisition Date (0008,0022), DA. */
  readonly AcquisitionDate?: string | null;
  /** Acquisition Time (0008,0032), TM. */
  readonly AcquisitionTime?: string | null;
  /** Radiopharmaceutical Start Time (0018,1072), TM, no date. */
  readonly RadiopharmaceuticalStartTime?: string | null;
  /** Radiopharmaceutical Start DateTime (0018,1078), DT. */
  readonly RadiopharmaceuticalStartDateTime?: string | null;
  /** Philips private group (7053,xx00) SUV Scale Factor and (7053,xx09) Activity Concentration Scale Factor. */
  readonly PhilipsPETPrivateGroup?: {
    readonly SUVScaleFactor?: number | string | null;
    readonly ActivityConcentrationScaleFactor?: number | string | null;
  } | null;
  /** GE private scan date-time (0009,xx0D) of creator GEMS_PETD_01, DT. */
  readonly GEPrivatePostInjectionDateTime?: string | null;
  /** Frame Reference Time (0054,1300), ms. */
  readonly FrameReferenceTime?: number | string | null;
  /** Actual Frame Duration (0018,1242), ms. */
  readonly ActualFrameDuration?: number | string | null;
  /** Patient's Size (0010,1020), metres. */
  readonly PatientSize?: number | string | null;
  /** Patient's Sex (0010,0040): M, F or O. */
  readonly PatientSex?: string | null;
}
