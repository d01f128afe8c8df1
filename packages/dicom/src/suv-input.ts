/**
 * Bridge from the QA gate's effective metadata to the input shape of an SUV calculator
 * (`@cornerstonejs/calculate-suv` v1.1.0 `InstanceMetadata`, QIBA vendor-neutral procedure,
 * /shared/reference/suv.md §2.2). Declared locally so this package does not depend on it.
 */
import { DicomParseError } from "./errors.js";
import type { PetQaResult } from "./qa.js";

/** Same fields and types as calculate-suv's `InstanceMetadata`. */
export interface SuvInstanceMetadata {
  CorrectedImage: string[] | string;
  Units: string;
  RadionuclideHalfLife: number;
  RadionuclideTotalDose: number;
  DecayCorrection: string;
  PatientWeight: number;
  SeriesDate: string;
  SeriesTime: string;
  AcquisitionDate: string;
  AcquisitionTime: string;
  RadiopharmaceuticalStartTime?: string;
  RadiopharmaceuticalStartDateTime?: string;
  PhilipsPETPrivateGroup?: {
    SUVScaleFactor: number | undefined;
    ActivityConcentrationScaleFactor: number | undefined;
  };
  GEPrivatePostInjectionDateTime?: string;
  FrameReferenceTime?: number;
  ActualFrameDuration?: number;
  PatientSize?: number;
  PatientSex?: string;
}

/**
 * Converts a passing QA result into SUV-calculator input, one record per instance.
 *
 * Missing Acquisition Date/Time fall back to the Series Date/Time (the calculator requires them;
 * a single-bed series has both equal). Reference-time policy is the calculator's (QIBA order),
 * which the QA gate mirrors, so `qa.decayTimeS` is the Δt the calculator will use.
 *
 * @param qa - result of {@link runPetQa}.
 * @returns records with calculate-suv's field names and units (kg, Bq, s, DICOM DA/TM/DT).
 * @throws DicomParseError `INVALID_ARGUMENT` if `qa.blocking` (message lists the blocking codes)
 *   or a required field is still absent (message names the attribute and the source).
 */
export function toSuvInstanceMetadata(qa: PetQaResult): SuvInstanceMetadata[] {
  if (qa.blocking) {
    const codes = qa.findings.filter((f) => f.severity === "BLOCKING").map((f) => f.code);
    throw new DicomParseError(
      "INVALID_ARGUMENT",
      `SUV input refused: blocking QA findings ${codes.join(", ")}`,
      { value: codes },
    );
  }
  return qa.effective.map((m, i) => {
    const src = m.sourceName ?? `instance #${i + 1}`;
    const need = <T>(v: T | undefined, attribute: string): T => {
      if (v === undefined)
        throw new DicomParseError(
          "INVALID_ARGUMENT",
          `${src}: ${attribute} is required for SUV input`,
          { sourceName: m.sourceName, attribute },
        );
      return v;
    };
    const seriesDate = need(m.SeriesDate, "SeriesDate (0008,0021)");
    const seriesTime = need(m.SeriesTime, "SeriesTime (0008,0031)");
    const out: SuvInstanceMetadata = {
      CorrectedImage: need(m.CorrectedImage, "CorrectedImage (0028,0051)"),
      Units: need(m.Units, "Units (0054,1001)"),
      RadionuclideHalfLife: need(m.RadionuclideHalfLife, "RadionuclideHalfLife (0018,1075)"),
      RadionuclideTotalDose: need(m.RadionuclideTotalDose, "RadionuclideTotalDose (0018,1074)"),
      DecayCorrection: need(m.DecayCorrection, "DecayCorrection (0054,1102)"),
      PatientWeight: need(m.PatientWeight, "PatientWeight (0010,1030)"),
      SeriesDate: seriesDate,
      SeriesTime: seriesTime,
      AcquisitionDate: m.AcquisitionDate ?? seriesDate,
      AcquisitionTime: m.AcquisitionTime ?? seriesTime,
    };
    if (m.RadiopharmaceuticalStartTime !== undefined)
      out.RadiopharmaceuticalStartTime = m.RadiopharmaceuticalStartTime;
    if (m.RadiopharmaceuticalStartDateTime !== undefined)
      out.RadiopharmaceuticalStartDateTime = m.RadiopharmaceuticalStartDateTime;
    if (m.PhilipsPETPrivateGroup !== undefined)
      out.PhilipsPETPrivateGroup = { ...m.PhilipsPETPrivateGroup };
    if (m.GEPrivatePostInjectionDateTime !== undefined)
      out.GEPrivatePostInjectionDateTime = m.GEPrivatePostInjectionDateTime;
    if (m.FrameReferenceTime !== undefined) out.FrameReferenceTime = m.FrameReferenceTime;
    if (m.ActualFrameDuration !== undefined) out.ActualFrameDuration = m.ActualFrameDuration;
    if (m.PatientSize !== undefined) out.PatientSize = m.PatientSize;
    if (m.PatientSex !== undefined) out.PatientSex = m.PatientSex;
    return out;
  });
}
