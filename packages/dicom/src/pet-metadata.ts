/**
 * PET/SPECT quantitative metadata extraction (attributes of /shared/reference/suv.md §2.1; PS3.3
 * C.8.9.1 PET Series, C.8.9.2 PET Isotope, C.8.9.4 PET Image modules; NM Isotope C.8.4.10).
 *
 * Field names of {@link PetInstanceMetadata} match `@cornerstonejs/calculate-suv`'s
 * `InstanceMetadata` (v1.1.0) so an effective record can be passed to it directly.
 */
import type { DataSet } from "dicom-parser";
import {
  findPrivateTag,
  readRawString,
  readString,
  sequenceItems,
  type DicomInstance,
} from "./parse.js";
import { parseDecimalString } from "./values.js";

/** A coded entry (PS3.3 Table 8.8-1): Code Value, Coding Scheme Designator, Code Meaning. */
export interface CodedEntry {
  CodeValue: string | undefined;
  CodingSchemeDesignator: string | undefined;
  CodeMeaning: string | undefined;
}

/** Philips private PET scale factors (group 7053, creator "Philips PET Private Group"). */
export interface PhilipsPetPrivateGroup {
  /** (7053,xx00) SUV Scale Factor: SUVbw = rescaled value × factor (Units CNTS); 0 = not convertible. */
  SUVScaleFactor: number | undefined;
  /** (7053,xx09) Activity Concentration Scale Factor: Bq/mL = rescaled value × factor. */
  ActivityConcentrationScaleFactor: number | undefined;
}

/**
 * SUV-relevant metadata of one instance. All fields optional: absence is what the QA gate reports.
 * Units: weight kg, size m, dose Bq (as written), half-life s, frame times ms.
 */
export interface PetInstanceMetadata {
  /** Name of the file / record the values came from. */
  sourceName?: string;
  /** Corrected Image (0028,0051), e.g. ["ATTN","DECY",...]. */
  CorrectedImage?: string[];
  /** Units (0054,1001): BQML, CNTS, GML, ... */
  Units?: string;
  /** Radionuclide Half Life (0018,1075), s (in Radiopharmaceutical Information Sequence (0054,0016)). */
  RadionuclideHalfLife?: number;
  /** Radionuclide Total Dose (0018,1074), Bq (MBq sometimes written by mistake). */
  RadionuclideTotalDose?: number;
  /** Decay Correction (0054,1102): START, ADMIN, NONE. */
  DecayCorrection?: string;
  /** Patient's Weight (0010,1030), kg. */
  PatientWeight?: number;
  /** Patient's Size (0010,1020), m. */
  PatientSize?: number;
  /** Patient's Sex (0010,0040). */
  PatientSex?: string;
  /** Series Date (0008,0021). */
  SeriesDate?: string;
  /** Series Time (0008,0031). */
  SeriesTime?: string;
  /** Acquisition Date (0008,0022). */
  AcquisitionDate?: string;
  /** Acquisition Time (0008,0032). */
  AcquisitionTime?: string;
  /** Radiopharmaceutical Start Time (0018,1072) (no date). */
  RadiopharmaceuticalStartTime?: string;
  /** Radiopharmaceutical Start DateTime (0018,1078). */
  RadiopharmaceuticalStartDateTime?: string;
  PhilipsPETPrivateGroup?: PhilipsPetPrivateGroup;
  /**
   * GE scan datetime (0009,xx0D), creator "GEMS_PETD_01": the time the image is decay-corrected to.
   * Named as calculate-suv names it.
   */
  GEPrivatePostInjectionDateTime?: string;
  /** Siemens decay-correction datetime (0071,xx22), creator "SIEMENS MED PT" (informative). */
  SiemensDecayCorrectionDateTime?: string;
  /** Frame Reference Time (0054,1300), ms. */
  FrameReferenceTime?: number;
  /** Actual Frame Duration (0018,1242), ms. */
  ActualFrameDuration?: number;
  /** Modality (0008,0060). */
  Modality?: string;
  /** Manufacturer (0008,0070). */
  Manufacturer?: string;
  /** Manufacturer's Model Name (0008,1090). */
  ManufacturerModelName?: string;
  SeriesInstanceUID?: string;
  StudyInstanceUID?: string;
  SOPInstanceUID?: string;
  FrameOfReferenceUID?: string;
  /** Patient ID (0010,0020). */
  PatientID?: string;
  /** Patient's Birth Date (0010,0030). */
  PatientBirthDate?: string;
  /** Radiopharmaceutical (0018,0031), free text. */
  RadiopharmaceuticalName?: string;
  /** Radiopharmaceutical Code Sequence (0054,0304) first item. */
  RadiopharmaceuticalCode?: CodedEntry;
  /** Radionuclide Code Sequence (0054,0300) first item. */
  RadionuclideCode?: CodedEntry;
  /** Radionuclide Positron Fraction (0018,1076). */
  RadionuclidePositronFraction?: number;
  /** SUV Type (0054,1006). */
  SUVType?: string;
  /** Decay Factor (0054,1321). */
  DecayFactor?: number;
  /** Dose Calibration Factor (0054,1322). */
  DoseCalibrationFactor?: number;
  /** Timezone Offset From UTC (0008,0201), e.g. "+0100". */
  TimezoneOffsetFromUTC?: string;
  /** Rescale Slope (0028,1053). */
  RescaleSlope?: number;
  /** Rescale Intercept (0028,1052). */
  RescaleIntercept?: number;
  /** Keywords of DS attributes that were written in exponent form (e.g. `3.885e+008`). */
  exponentFormAttributes?: string[];
}

function ds(d: DataSet, tag: string, keyword: string, sink: string[]): number | undefined {
  const raw = readRawString(d, tag);
  const v = parseDecimalString(raw?.split("\\")[0]);
  if (v?.exponentForm)
    sink.push(`${keyword} (${tag.slice(1, 5).toUpperCase()},${tag.slice(5, 9).toUpperCase()})`);
  return v?.value;
}

function coded(d: DataSet | undefined): CodedEntry | undefined {
  if (d === undefined) return undefined;
  return {
    CodeValue: readString(d, "x00080100"),
    CodingSchemeDesignator: readString(d, "x00080102"),
    CodeMeaning: readString(d, "x00080104"),
  };
}

function omitUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * Extracts the SUV-relevant attributes of one PET or NM instance, including the first item of
 * Radiopharmaceutical Information Sequence (0054,0016) (also when stored as UN, CP-246) and the
 * Philips (7053), GE (0009) and Siemens (0071) private elements located via their private
 * creators. DS values in exponent form are parsed and listed in `exponentFormAttributes`.
 *
 * @param inst - a parsed instance.
 * @returns a plain object; absent attributes are omitted. Never throws for missing data.
 */
export function extractPetMetadata(inst: DicomInstance): PetInstanceMetadata {
  const d = inst.dataSet;
  const exp: string[] = [];
  const rp = sequenceItems(d, "x00540016")[0];
  const corrected = readRawString(d, "x00280051");
  const philipsSuv = findPrivateTag(d, "7053", "Philips PET Private Group", 0x00);
  const philipsAc = findPrivateTag(d, "7053", "Philips PET Private Group", 0x09);
  const ge = findPrivateTag(d, "0009", "GEMS_PETD_01", 0x0d);
  const siemens = findPrivateTag(d, "0071", "SIEMENS MED PT", 0x22);
  let philips: PhilipsPetPrivateGroup | undefined;
  if (philipsSuv !== undefined || philipsAc !== undefined) {
    philips = {
      SUVScaleFactor:
        philipsSuv === undefined ? undefined : ds(d, philipsSuv, "PhilipsSUVScaleFactor", exp),
      ActivityConcentrationScaleFactor:
        philipsAc === undefined
          ? undefined
          : ds(d, philipsAc, "PhilipsActivityConcentrationScaleFactor", exp),
    };
  }
  const meta: PetInstanceMetadata = {
    sourceName: inst.sourceName,
    CorrectedImage:
      corrected === undefined
        ? undefined
        : corrected
            .split("\\")
            .map((s) => s.trim())
            .filter((s) => s !== ""),
    Units: readString(d, "x00541001"),
    DecayCorrection: readString(d, "x00541102"),
    PatientWeight: ds(d, "x00101030", "PatientWeight", exp),
    PatientSize: ds(d, "x00101020", "PatientSize", exp),
    PatientSex: readString(d, "x00100040"),
    SeriesDate: readString(d, "x00080021"),
    SeriesTime: readString(d, "x00080031"),
    AcquisitionDate: readString(d, "x00080022"),
    AcquisitionTime: readString(d, "x00080032"),
    RadionuclideHalfLife:
      rp === undefined ? undefined : ds(rp, "x00181075", "RadionuclideHalfLife", exp),
    RadionuclideTotalDose:
      rp === undefined ? undefined : ds(rp, "x00181074", "RadionuclideTotalDose", exp),
    RadiopharmaceuticalStartTime: rp === undefined ? undefined : readString(rp, "x00181072"),
    RadiopharmaceuticalStartDateTime: rp === undefined ? undefined : readString(rp, "x00181078"),
    RadiopharmaceuticalName: rp === undefined ? undefined : readString(rp, "x00180031"),
    RadionuclidePositronFraction:
      rp === undefined ? undefined : ds(rp, "x00181076", "RadionuclidePositronFraction", exp),
    RadiopharmaceuticalCode:
      rp === undefined ? undefined : coded(sequenceItems(rp, "x00540304")[0]),
    RadionuclideCode: rp === undefined ? undefined : coded(sequenceItems(rp, "x00540300")[0]),
    PhilipsPETPrivateGroup: philips,
    GEPrivatePostInjectionDateTime: ge === undefined ? undefined : readString(d, ge),
    SiemensDecayCorrectionDateTime: siemens === undefined ? undefined : readString(d, siemens),
    FrameReferenceTime: ds(d, "x00541300", "FrameReferenceTime", exp),
    ActualFrameDuration: ds(d, "x00181242", "ActualFrameDuration", exp),
    Modality: inst.modality,
    Manufacturer: readString(d, "x00080070"),
    ManufacturerModelName: readString(d, "x00081090"),
    SeriesInstanceUID: inst.seriesInstanceUid,
    StudyInstanceUID: inst.studyInstanceUid,
    SOPInstanceUID: inst.sopInstanceUid,
    FrameOfReferenceUID: inst.frameOfReferenceUid,
    PatientID: readString(d, "x00100020"),
    PatientBirthDate: readString(d, "x00100030"),
    SUVType: readString(d, "x00541006"),
    DecayFactor: ds(d, "x00541321", "DecayFactor", exp),
    DoseCalibrationFactor: ds(d, "x00541322", "DoseCalibrationFactor", exp),
    TimezoneOffsetFromUTC: readString(d, "x00080201"),
    RescaleSlope: ds(d, "x00281053", "RescaleSlope", exp),
    RescaleIntercept: ds(d, "x00281052", "RescaleIntercept", exp),
    exponentFormAttributes: exp.length > 0 ? exp : undefined,
  };
  return omitUndefined(meta);
}

function num(v: unknown, keyword: string, sink: string[]): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string") {
    const p = parseDecimalString(v);
    if (p?.exponentForm) sink.push(keyword);
    return p?.value;
  }
  return undefined;
}
const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;

/**
 * Normalises a plain JSON record (e.g. the calculate-suv test fixtures, or metadata from a
 * DICOMweb JSON already flattened to keywords) into {@link PetInstanceMetadata}: numeric strings
 * become numbers (exponent form recorded), `CorrectedImage` becomes an array.
 *
 * @param record - keyword → value object.
 * @param sourceName - label for findings.
 * @returns the normalised metadata; unknown keys are dropped. Never throws.
 */
export function coercePetMetadata(
  record: Readonly<Record<string, unknown>>,
  sourceName?: string,
): PetInstanceMetadata {
  const exp: string[] = [];
  const ci = record.CorrectedImage;
  const ph = record.PhilipsPETPrivateGroup;
  let philips: PhilipsPetPrivateGroup | undefined;
  if (ph !== null && typeof ph === "object") {
    const p = ph as Record<string, unknown>;
    if (p.SUVScaleFactor !== undefined || p.ActivityConcentrationScaleFactor !== undefined) {
      philips = {
        SUVScaleFactor: num(p.SUVScaleFactor, "PhilipsSUVScaleFactor", exp),
        ActivityConcentrationScaleFactor: num(
          p.ActivityConcentrationScaleFactor,
          "PhilipsActivityConcentrationScaleFactor",
          exp,
        ),
      };
    }
  }
  const out: PetInstanceMetadata = {
    sourceName: sourceName ?? str(record.sourceName),
    CorrectedImage: Array.isArray(ci)
      ? ci.filter((x): x is string => typeof x === "string")
      : typeof ci === "string"
        ? ci.split("\\")
        : undefined,
    Units: str(record.Units),
    DecayCorrection: str(record.DecayCorrection),
    PatientWeight: num(record.PatientWeight, "PatientWeight", exp),
    PatientSize: num(record.PatientSize, "PatientSize", exp),
    PatientSex: str(record.PatientSex),
    SeriesDate: str(record.SeriesDate),
    SeriesTime: str(record.SeriesTime),
    AcquisitionDate: str(record.AcquisitionDate),
    AcquisitionTime: str(record.AcquisitionTime),
    RadionuclideHalfLife: num(record.RadionuclideHalfLife, "RadionuclideHalfLife", exp),
    RadionuclideTotalDose: num(record.RadionuclideTotalDose, "RadionuclideTotalDose", exp),
    RadiopharmaceuticalStartTime: str(record.RadiopharmaceuticalStartTime),
    RadiopharmaceuticalStartDateTime: str(record.RadiopharmaceuticalStartDateTime),
    RadiopharmaceuticalName: str(record.RadiopharmaceuticalName),
    PhilipsPETPrivateGroup: philips,
    GEPrivatePostInjectionDateTime: str(record.GEPrivatePostInjectionDateTime),
    SiemensDecayCorrectionDateTime: str(record.SiemensDecayCorrectionDateTime),
    FrameReferenceTime: num(record.FrameReferenceTime, "FrameReferenceTime", exp),
    ActualFrameDuration: num(record.ActualFrameDuration, "ActualFrameDuration", exp),
    Modality: str(record.Modality),
    Manufacturer: str(record.Manufacturer),
    SeriesInstanceUID: str(record.SeriesInstanceUID),
    SOPInstanceUID: str(record.SOPInstanceUID),
    RescaleSlope: num(record.RescaleSlope, "RescaleSlope", exp),
    RescaleIntercept: num(record.RescaleIntercept, "RescaleIntercept", exp),
    exponentFormAttributes: exp.length > 0 ? exp : undefined,
  };
  return omitUndefined(out);
}
