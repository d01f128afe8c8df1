/**
 * Synthetic CT for a generated whole-body PET: a Hounsfield-unit volume on the PET's grid (air,
 * soft tissue, solid organs, lungs, spine and femurs) and a writer of CT Image Storage
 * (1.2.840.10008.5.1.4.1.1.2) single-frame slices sharing the PET's Study Instance UID and Frame
 * of Reference UID (PS3.3 C.8.2.1 CT Image module, C.7.6.2 Image Plane, C.7.4.1 Frame of
 * Reference), so the viewer fuses the PET over it.
 */
import { DicomParseError } from "../errors.js";
import { TransferSyntaxUids } from "../transfer-syntax.js";
import type { VolumeGeometry } from "../volume.js";
import {
  encodePart10,
  encodeRleFrame,
  type DicomElementSpec,
  type ElementValue,
} from "./encoder.js";
import { formatDs, type WritePetSeriesOptions, type WrittenFile } from "./pet-series-writer.js";
import { uidFromKey } from "./prng.js";
import type { SyntheticWholeBodyPet } from "./whole-body-pet.js";

/**
 * Ground-truth Hounsfield units of the synthetic CT tissue classes: air −1000 and water 0 by
 * definition of the HU scale; lung ≈ −800, soft tissue 20–40, cortical/trabecular bone mix ≈ 700
 * are textbook typical values (synthetic test data, not a clinical reference).
 */
export const SYNTHETIC_CT_HU = Object.freeze({
  air: -1000,
  lung: -800,
  softTissue: 20,
  organ: 40,
  bone: 700,
});

/** Output of {@link generateCtForPet}. */
export interface SyntheticCt {
  /** HU, x fastest, then y, then z (integers). */
  hu: Float32Array;
  /** The PET's geometry (same grid). */
  geometry: VolumeGeometry;
}

/**
 * Builds the CT (HU) of a {@link generateWholeBodyPet} volume on the same grid: outside the body
 * (PET value 0) air; body soft tissue; voxels of the PET's organs and lesions (value above the
 * background/legs/head levels) organ HU; two lung ellipsoids in the upper trunk where the PET is
 * at background level; a spine cylinder (posterior midline, trunk and neck) and two femurs (leg
 * centres) in bone. Deterministic.
 *
 * @param pet - the generated PET (data, geometry, organ SUVs and Bq/mL per SUV).
 * @returns HU volume and geometry.
 */
export function generateCtForPet(pet: SyntheticWholeBodyPet): SyntheticCt {
  const { geometry } = pet;
  const [nx, ny, nz] = geometry.dims;
  const [sx, sy, sz] = geometry.spacingMm;
  const o = geometry.originMm;
  const H = nz * sz;
  // Same body scale and axial fractions as generateWholeBodyPet (reference FOV 700 mm).
  const g = Math.min(nx * sx, ny * sy) / 700;
  const tissueMax =
    Math.max(pet.organSuv.background, pet.organSuv.legs, pet.organSuv.head) * pet.bqPerMlPerSuv;
  const background = pet.organSuv.background * pet.bqPerMlPerSuv;
  const hu = new Float32Array(nx * ny * nz);
  const lungs = [-1, 1].map((side) => ({
    c: [side * 75 * g, 0, o[2] + 0.77 * H] as const,
    r: [55 * g, 60 * g, 0.045 * H] as const,
  }));
  for (let k = 0; k < nz; k++) {
    const z = o[2] + k * sz;
    const f = (k + 0.5) / nz;
    for (let j = 0; j < ny; j++) {
      const y = o[1] + j * sy;
      for (let i = 0; i < nx; i++) {
        const x = o[0] + i * sx;
        const n = i + j * nx + k * nx * ny;
        const v = pet.data[n] as number;
        if (!(v > 0)) {
          hu[n] = SYNTHETIC_CT_HU.air;
          continue;
        }
        const isBackground = Math.abs(v - background) <= 1e-6 * background;
        let value: number =
          v > tissueMax * (1 + 1e-6) ? SYNTHETIC_CT_HU.organ : SYNTHETIC_CT_HU.softTissue;
        if (isBackground) {
          for (const l of lungs) {
            const dx = (x - l.c[0]) / l.r[0];
            const dy = (y - l.c[1]) / l.r[1];
            const dz = (z - l.c[2]) / l.r[2];
            if (dx * dx + dy * dy + dz * dz <= 1) value = SYNTHETIC_CT_HU.lung;
          }
          const spine = f >= 0.45 && f < 0.86 && Math.hypot(x, y - 80 * g) <= 15 * g;
          if (spine) value = SYNTHETIC_CT_HU.bone;
        }
        if (f < 0.45 && Math.min(Math.hypot(x + 90 * g, y), Math.hypot(x - 90 * g, y)) <= 12 * g)
          value = SYNTHETIC_CT_HU.bone;
        hu[n] = value;
      }
    }
  }
  return { hu, geometry };
}

/** Header content of a synthetic CT series. Identity must equal the PET's to join its study. */
export interface SyntheticCtMetadata {
  patientId: string;
  patientName?: string;
  patientBirthDate?: string;
  patientSex?: "M" | "F" | "O";
  /** The PET's uidKey: Study and Frame of Reference UIDs are shared, series/SOP UIDs are the CT's own. */
  uidKey: string;
  seriesDate: string;
  seriesTime: string;
  seriesDescription?: string;
  /** Default 2. */
  seriesNumber?: number;
  manufacturer?: string;
  /** KVP (0018,0060). Default 120. */
  kvp?: number;
}

const s = (value: string): ElementValue => ({ kind: "str", value });
const el = (tag: number, vr: string, value: ElementValue): DicomElementSpec => ({ tag, vr, value });
const dsList = (values: number[]): string => values.map((x) => formatDs(x).text).join("\\");

/** Rescale Intercept of the written CT (stored = HU + 1024, slope 1, the common scanner choice). */
export const SYNTHETIC_CT_RESCALE_INTERCEPT = -1024;

/**
 * Writes a HU volume as a CT series, one Part 10 file per slice: 16-bit unsigned stored values
 * = round(HU) + 1024, Rescale Slope 1, Rescale Intercept −1024, Rescale Type HU. Study and Frame
 * of Reference UIDs are derived from `meta.uidKey` exactly as {@link writePetSeries} does, so a
 * PET written with the same key is in the same study and frame of reference.
 *
 * @param hu - Hounsfield units, x fastest, then y, then z; finite, within −1024…64511.
 * @param geometry - dims, spacing (mm), origin (mm), direction cosines.
 * @param meta - patient identity, uidKey, dates.
 * @param options - transfer syntax; per-slice mutation hook.
 * @returns files named `ct-0001.dcm` … in z order.
 * @throws DicomParseError `INVALID_ARGUMENT` when the length does not match the dims or a value
 *   is not finite or outside the stored range.
 */
export function writeCtSeries(
  hu: Float32Array,
  geometry: VolumeGeometry,
  meta: SyntheticCtMetadata,
  options: WritePetSeriesOptions = {},
): WrittenFile[] {
  const [nx, ny, nz] = geometry.dims;
  if (hu.length !== nx * ny * nz) {
    throw new DicomParseError(
      "INVALID_ARGUMENT",
      `volume has ${hu.length} values but dims ${nx}x${ny}x${nz} need ${nx * ny * nz}`,
      { value: hu.length },
    );
  }
  for (let i = 0; i < hu.length; i++) {
    const v = hu[i] as number;
    const q = Math.round(v) - SYNTHETIC_CT_RESCALE_INTERCEPT;
    if (!Number.isFinite(v) || q < 0 || q > 65535)
      throw new DicomParseError(
        "INVALID_ARGUMENT",
        `voxel ${i} is ${v} HU; only finite values in -1024…64511 HU can be written`,
        { value: v },
      );
  }
  const ts = options.transferSyntaxUid ?? TransferSyntaxUids.explicitVrLittleEndian;
  const sopClass = "1.2.840.10008.5.1.4.1.1.2";
  const [sx, sy, sz] = geometry.spacingMm;
  const d = geometry.direction;
  const normal = [d[6] ?? 0, d[7] ?? 0, d[8] ?? 0];
  const common: DicomElementSpec[] = [
    el(0x00080008, "CS", s("ORIGINAL\\PRIMARY\\AXIAL")),
    el(0x00080016, "UI", s(sopClass)),
    el(0x00080020, "DA", s(meta.seriesDate)),
    el(0x00080021, "DA", s(meta.seriesDate)),
    el(0x00080022, "DA", s(meta.seriesDate)),
    el(0x00080030, "TM", s(meta.seriesTime)),
    el(0x00080031, "TM", s(meta.seriesTime)),
    el(0x00080032, "TM", s(meta.seriesTime)),
    el(0x00080060, "CS", s("CT")),
    el(0x00080070, "LO", s(meta.manufacturer ?? "Lutetia synthetic")),
    el(0x0008103e, "LO", s(meta.seriesDescription ?? "Synthetic CT")),
    el(0x00100010, "PN", s(meta.patientName ?? "SYNTHETIC^PET")),
    el(0x00100020, "LO", s(meta.patientId)),
    el(0x00100030, "DA", s(meta.patientBirthDate ?? "")),
    el(0x00100040, "CS", s(meta.patientSex ?? "O")),
    el(0x00180050, "DS", s(formatDs(sz).text)),
    el(0x00180060, "DS", s(formatDs(meta.kvp ?? 120).text)),
    el(0x0020000d, "UI", s(uidFromKey(`${meta.uidKey}/study`))),
    el(0x0020000e, "UI", s(uidFromKey(`${meta.uidKey}/ct/series`))),
    el(0x00200011, "IS", s(String(meta.seriesNumber ?? 2))),
    el(0x00200037, "DS", s(dsList(d.slice(0, 6)))),
    el(0x00200052, "UI", s(uidFromKey(`${meta.uidKey}/for`))),
    el(0x00280002, "US", { kind: "u16", value: [1] }),
    el(0x00280004, "CS", s("MONOCHROME2")),
    el(0x00280010, "US", { kind: "u16", value: [ny] }),
    el(0x00280011, "US", { kind: "u16", value: [nx] }),
    el(0x00280030, "DS", s(dsList([sy, sx]))),
    el(0x00280100, "US", { kind: "u16", value: [16] }),
    el(0x00280101, "US", { kind: "u16", value: [16] }),
    el(0x00280102, "US", { kind: "u16", value: [15] }),
    el(0x00280103, "US", { kind: "u16", value: [0] }),
    el(0x00281052, "DS", s(String(SYNTHETIC_CT_RESCALE_INTERCEPT))),
    el(0x00281053, "DS", s("1")),
    el(0x00281054, "LO", s("HU")),
  ];
  const slice = nx * ny;
  const files: WrittenFile[] = [];
  for (let k = 0; k < nz; k++) {
    const stored = new Uint16Array(slice);
    for (let i = 0; i < slice; i++)
      stored[i] = Math.round(hu[k * slice + i] as number) - SYNTHETIC_CT_RESCALE_INTERCEPT;
    const pos = [0, 1, 2].map((a) => (geometry.originMm[a] as number) + k * sz * (normal[a] ?? 0));
    const sop = uidFromKey(`${meta.uidKey}/ct/sop/${k}`);
    const pixel: DicomElementSpec =
      ts === TransferSyntaxUids.rleLossless
        ? el(0x7fe00010, "OB", { kind: "encapsulated", frames: [encodeRleFrame(stored, 2)] })
        : el(0x7fe00010, "OW", { kind: "words", value: stored });
    let elements: DicomElementSpec[] = [
      ...common,
      el(0x00080018, "UI", s(sop)),
      el(0x00200013, "IS", s(String(k + 1))),
      el(0x00200032, "DS", s(dsList(pos))),
      el(
        0x00201041,
        "DS",
        s(formatDs(pos.reduce((acc, p, a) => acc + p * (normal[a] ?? 0), 0)).text),
      ),
      pixel,
    ];
    if (options.mutateSlice) elements = options.mutateSlice(elements, k);
    files.push({
      name: `ct-${String(k + 1).padStart(4, "0")}.dcm`,
      bytes: encodePart10(elements, sopClass, sop, ts),
    });
  }
  return files;
}
