/**
 * Writer of synthetic PET series (PET Image Storage, 1.2.840.10008.5.1.4.1.1.128) from a Float32
 * activity-concentration volume: one single-frame instance per slice, 16-bit stored values with a
 * per-slice Rescale Slope, and every attribute the SUV procedure of /shared/reference/suv.md §2.1
 * needs (PS3.3 C.8.9.1 PET Series, C.8.9.2 PET Isotope, C.8.9.4 PET Image modules).
 */
import { DicomParseError } from "../errors.js";
import type { VolumeGeometry } from "../volume.js";
import { TransferSyntaxUids } from "../transfer-syntax.js";
import {
  encodePart10,
  encodeRleFrame,
  type DicomElementSpec,
  type ElementValue,
} from "./encoder.js";
import { uidFromKey } from "./prng.js";

/** Header content of a synthetic PET series. Times are DICOM DA/TM/DT strings. */
export interface SyntheticPetMetadata {
  patientId: string;
  /** Patient's Name (0010,0010); synthetic only. Default `SYNTHETIC^PET`. */
  patientName?: string;
  patientBirthDate?: string;
  patientSex?: "M" | "F" | "O";
  /** Patient's Weight (0010,1030), kg. */
  patientWeightKg: number;
  /** Patient's Size (0010,1020), m. */
  patientSizeM?: number;
  /** Key from which Study/Series/FoR/SOP UIDs are derived deterministically. */
  uidKey: string;
  seriesDate: string;
  seriesTime: string;
  /** Acquisition Date/Time (0008,0022/0032); default = series date/time. */
  acquisitionDate?: string;
  acquisitionTime?: string;
  /** Radiopharmaceutical (0018,0031), e.g. `Ga-68 DOTATATE`. */
  radiopharmaceutical: string;
  /** Code Meaning for Radionuclide Code Sequence (0054,0300), e.g. `^68^Gallium`. */
  radionuclideCodeMeaning?: string;
  /** Radionuclide Half Life (0018,1075), s. */
  radionuclideHalfLifeS: number;
  /** Radionuclide Total Dose (0018,1074), Bq. */
  radionuclideTotalDoseBq: number;
  /** Radiopharmaceutical Start DateTime (0018,1078), DT. The Start Time (0018,1072) is derived. */
  radiopharmaceuticalStartDateTime: string;
  /** Units (0054,1001). Default BQML. */
  units?: string;
  /** Decay Correction (0054,1102). Default START. */
  decayCorrection?: string;
  /** Corrected Image (0028,0051). Default ATTN, DECY. */
  correctedImage?: string[];
  /** Actual Frame Duration (0018,1242), ms. Default 180 000. */
  frameDurationMs?: number;
  seriesDescription?: string;
  seriesNumber?: number;
  manufacturer?: string;
}

/** Options for {@link writePetSeries}. */
export interface WritePetSeriesOptions {
  /** Explicit VR LE (default), Implicit VR LE, Explicit VR BE, Deflated Explicit VR LE or RLE Lossless. */
  transferSyntaxUid?: string;
  /** Hook to alter a slice's elements before encoding (tests of bad input). */
  mutateSlice?: (elements: DicomElementSpec[], sliceIndex: number) => DicomElementSpec[];
}

/** One written file. */
export interface WrittenFile {
  name: string;
  bytes: Uint8Array;
}

const s = (value: string): ElementValue => ({ kind: "str", value });
const el = (tag: number, vr: string, value: ElementValue): DicomElementSpec => ({ tag, vr, value });

/**
 * Formats a number as a DICOM DS of at most 16 characters (PS3.5 Table 6.2-1) with the most
 * significant digits that fit.
 *
 * @param v - a finite number.
 * @returns the text and the number it denotes (use that value for quantisation so the written
 *   slope and the stored values agree exactly).
 * @throws DicomParseError `INVALID_ARGUMENT` for a non-finite value.
 */
export function formatDs(v: number): { text: string; value: number } {
  if (!Number.isFinite(v))
    throw new DicomParseError("INVALID_ARGUMENT", `cannot encode ${v} as DS`, { value: v });
  for (let p = 15; p >= 1; p--) {
    let t = v.toPrecision(p);
    if (t.includes("e")) t = t.replace(/\.?0+e/, "e");
    else if (t.includes(".")) t = t.replace(/\.?0+$/, "");
    if (t.length <= 16) return { text: t, value: Number(t) };
  }
  throw new DicomParseError("INVALID_ARGUMENT", `cannot encode ${v} as DS`, { value: v });
}

function dsList(values: number[]): string {
  return values.map((x) => formatDs(x).text).join("\\");
}

/**
 * Writes a Float32 volume as a PET series, one Part 10 file per slice.
 *
 * Quantisation: per slice, stored = round(value / slope) with slope = max|value| / 65535
 * (unsigned) or / 32767 (signed, used when the volume has negative values); Rescale Intercept 0.
 * Maximum error per voxel = slope / 2.
 *
 * @param data - activity concentration (Bq/mL for Units BQML), x fastest, then y, then z.
 * @param geometry - dims, spacing (mm), origin (mm), direction (row, column, normal cosines).
 * @param meta - PET header content.
 * @param options - transfer syntax; per-slice mutation hook.
 * @returns files named `slice-0001.dcm` … in z order.
 * @throws DicomParseError `INVALID_ARGUMENT` when the data length does not match the dims or a
 *   value is not finite.
 */
export function writePetSeries(
  data: Float32Array,
  geometry: VolumeGeometry,
  meta: SyntheticPetMetadata,
  options: WritePetSeriesOptions = {},
): WrittenFile[] {
  return writeEmissionSeries(data, geometry, meta, options, "PT");
}

/** PET-only attributes (PS3.3 C.8.9.1 / C.8.9.4) left out of an NM instance. */
const PET_ONLY_TAGS = new Set([0x00540081, 0x00541000, 0x00541002, 0x00541300, 0x00541330]);

/**
 * Shared writer of {@link writePetSeries} and the SPECT writer: `PT` writes PET Image Storage,
 * `NM` writes NM Image Storage (1.2.840.10008.5.1.4.1.1.20) as one single-frame instance per
 * slice (Number of Frames 1, Image Position/Orientation (Patient) at the top level, Spacing
 * Between Slices), without the PET-only Series Type / Counts Source / Image Index attributes.
 *
 * @internal
 */
export function writeEmissionSeries(
  data: Float32Array,
  geometry: VolumeGeometry,
  meta: SyntheticPetMetadata,
  options: WritePetSeriesOptions,
  modality: "PT" | "NM",
): WrittenFile[] {
  const [nx, ny, nz] = geometry.dims;
  if (data.length !== nx * ny * nz) {
    throw new DicomParseError(
      "INVALID_ARGUMENT",
      `volume has ${data.length} values but dims ${nx}x${ny}x${nz} need ${nx * ny * nz}`,
      { value: data.length },
    );
  }
  const ts = options.transferSyntaxUid ?? TransferSyntaxUids.explicitVrLittleEndian;
  let signed = false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isFinite(v))
      throw new DicomParseError(
        "INVALID_ARGUMENT",
        `voxel ${i} is ${v}; only finite values can be written`,
        { value: v },
      );
    if (v < 0) signed = true;
  }
  const maxStored = signed ? 32767 : 65535;
  const studyUid = uidFromKey(`${meta.uidKey}/study`);
  const seriesUid = uidFromKey(`${meta.uidKey}/series`);
  const forUid = uidFromKey(`${meta.uidKey}/for`);
  const sopClass = modality === "NM" ? "1.2.840.10008.5.1.4.1.1.20" : "1.2.840.10008.5.1.4.1.1.128";
  const [sx, sy, sz] = geometry.spacingMm;
  const d = geometry.direction;
  const normal = [d[6] ?? 0, d[7] ?? 0, d[8] ?? 0];
  const startDT = meta.radiopharmaceuticalStartDateTime;
  const acqDate = meta.acquisitionDate ?? meta.seriesDate;
  const acqTime = meta.acquisitionTime ?? meta.seriesTime;
  const rp: DicomElementSpec[] = [
    el(0x00180031, "LO", s(meta.radiopharmaceutical)),
    el(0x00181072, "TM", s(startDT.slice(8))),
    el(0x00181074, "DS", s(formatDs(meta.radionuclideTotalDoseBq).text)),
    el(0x00181075, "DS", s(formatDs(meta.radionuclideHalfLifeS).text)),
    el(0x00181078, "DT", s(startDT)),
  ];
  if (meta.radionuclideCodeMeaning !== undefined) {
    rp.push(
      el(0x00540300, "SQ", {
        kind: "seq",
        items: [
          [
            el(0x00080100, "SH", s("SYNTH")),
            el(0x00080102, "SH", s("99LUTETIA")),
            el(0x00080104, "LO", s(meta.radionuclideCodeMeaning)),
          ],
        ],
      }),
    );
  }
  const common: DicomElementSpec[] = [
    // NM Image Type value 3/4 (PS3.3 C.8.4.7.1.1): a reconstructed tomographic emission image.
    el(
      0x00080008,
      "CS",
      s(modality === "NM" ? "ORIGINAL\\PRIMARY\\RECON TOMO\\EMISSION" : "ORIGINAL\\PRIMARY"),
    ),
    el(0x00080016, "UI", s(sopClass)),
    el(0x00080020, "DA", s(meta.seriesDate)),
    el(0x00080021, "DA", s(meta.seriesDate)),
    el(0x00080022, "DA", s(acqDate)),
    el(0x00080030, "TM", s(meta.seriesTime)),
    el(0x00080031, "TM", s(meta.seriesTime)),
    el(0x00080032, "TM", s(acqTime)),
    el(0x00080060, "CS", s(modality)),
    el(0x00080070, "LO", s(meta.manufacturer ?? "Lutetia synthetic")),
    el(0x0008103e, "LO", s(meta.seriesDescription ?? "Synthetic PET")),
    el(0x00100010, "PN", s(meta.patientName ?? "SYNTHETIC^PET")),
    el(0x00100020, "LO", s(meta.patientId)),
    el(0x00100030, "DA", s(meta.patientBirthDate ?? "")),
    el(0x00100040, "CS", s(meta.patientSex ?? "O")),
    el(0x00101030, "DS", s(formatDs(meta.patientWeightKg).text)),
    el(0x00180050, "DS", s(formatDs(sz).text)),
    el(0x00181242, "IS", s(String(Math.round(meta.frameDurationMs ?? 180000)))),
    el(0x0020000d, "UI", s(studyUid)),
    el(0x0020000e, "UI", s(seriesUid)),
    el(0x00200011, "IS", s(String(meta.seriesNumber ?? 1))),
    el(0x00200037, "DS", s(dsList(d.slice(0, 6)))),
    el(0x00200052, "UI", s(forUid)),
    el(0x00280002, "US", { kind: "u16", value: [1] }),
    el(0x00280004, "CS", s("MONOCHROME2")),
    el(0x00280010, "US", { kind: "u16", value: [ny] }),
    el(0x00280011, "US", { kind: "u16", value: [nx] }),
    el(0x00280030, "DS", s(dsList([sy, sx]))),
    el(0x00280051, "CS", s((meta.correctedImage ?? ["ATTN", "DECY"]).join("\\"))),
    el(0x00280100, "US", { kind: "u16", value: [16] }),
    el(0x00280101, "US", { kind: "u16", value: [16] }),
    el(0x00280102, "US", { kind: "u16", value: [15] }),
    el(0x00280103, "US", { kind: "u16", value: [signed ? 1 : 0] }),
    el(0x00281052, "DS", s("0")),
    el(0x00540016, "SQ", { kind: "seq", items: [rp] }),
    el(0x00540081, "US", { kind: "u16", value: [nz] }),
    el(0x00541000, "CS", s("WHOLE BODY\\IMAGE")),
    el(0x00541001, "CS", s(meta.units ?? "BQML")),
    el(0x00541002, "CS", s("EMISSION")),
    el(0x00541102, "CS", s(meta.decayCorrection ?? "START")),
    el(0x00541300, "DS", s("0")),
  ];
  if (meta.patientSizeM !== undefined)
    common.push(el(0x00101020, "DS", s(formatDs(meta.patientSizeM).text)));
  if (modality === "NM") {
    common.push(el(0x00180088, "DS", s(formatDs(sz).text)), el(0x00280008, "IS", s("1")));
  }
  const slice = nx * ny;
  const files: WrittenFile[] = [];
  for (let k = 0; k < nz; k++) {
    const off = k * slice;
    let maxAbs = 0;
    for (let i = 0; i < slice; i++) {
      const a = Math.abs(data[off + i] as number);
      if (a > maxAbs) maxAbs = a;
    }
    const slope = formatDs(maxAbs > 0 ? maxAbs / maxStored : 1);
    const stored = signed ? new Int16Array(slice) : new Uint16Array(slice);
    const inv = 1 / slope.value;
    for (let i = 0; i < slice; i++) {
      let q = Math.round((data[off + i] as number) * inv);
      if (q > maxStored) q = maxStored;
      else if (q < -maxStored) q = -maxStored;
      stored[i] = q;
    }
    const pos = [
      geometry.originMm[0] + k * sz * (normal[0] ?? 0),
      geometry.originMm[1] + k * sz * (normal[1] ?? 0),
      geometry.originMm[2] + k * sz * (normal[2] ?? 0),
    ];
    const sop = uidFromKey(`${meta.uidKey}/sop/${k}`);
    const pixel: DicomElementSpec =
      ts === TransferSyntaxUids.rleLossless
        ? el(0x7fe00010, "OB", {
            kind: "encapsulated",
            frames: [encodeRleFrame(signed ? new Uint16Array(stored.buffer) : stored, 2)],
          })
        : el(0x7fe00010, "OW", { kind: "words", value: stored });
    let elements: DicomElementSpec[] = [
      ...(modality === "NM" ? common.filter((e) => !PET_ONLY_TAGS.has(e.tag)) : common),
      el(0x00080018, "UI", s(sop)),
      el(0x00200013, "IS", s(String(k + 1))),
      el(0x00200032, "DS", s(dsList(pos))),
      el(
        0x00201041,
        "DS",
        s(
          formatDs(
            (pos[0] as number) * (normal[0] ?? 0) +
              (pos[1] as number) * (normal[1] ?? 0) +
              (pos[2] as number) * (normal[2] ?? 0),
          ).text,
        ),
      ),
      el(0x00281053, "DS", s(slope.text)),
      ...(modality === "NM" ? [] : [el(0x00541330, "US", { kind: "u16", value: [k + 1] })]),
      pixel,
    ];
    if (options.mutateSlice) elements = options.mutateSlice(elements, k);
    files.push({
      name: `slice-${String(k + 1).padStart(4, "0")}.dcm`,
      bytes: encodePart10(elements, sopClass, sop, ts),
    });
  }
  return files;
}
