import dcmjs from "dcmjs";
import dicomParser from "dicom-parser";
import type { DicomJson } from "@lutetia/db";
import { dataSetToJson } from "./dicom-json";
import { extractPetMetadata, parseDicomPart10, DicomParseError, type DicomInstance, type PetInstanceMetadata } from "@lutetia/dicom";

/**
 * Reading one stored DICOM Part 10 file for the index: identifiers, the instance's DICOM JSON
 * (PS3.18 F.2, without Pixel Data), where its frames are, and the SUV-relevant header values.
 */
export interface ParsedFile {
  sopInstanceUid: string;
  sopClassUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  transferSyntaxUid: string;
  modality: string | null;
  instanceNumber: number | null;
  seriesNumber: number | null;
  frameOfReferenceUid: string | null;
  numberOfFrames: number;
  /** Native pixel data: offset of frame 1 in the file and bytes per frame. */
  pixelDataOffset: number | null;
  frameLength: number | null;
  sliceLocationMm: number | null;
  metadata: DicomJson;
  pet: PetInstanceMetadata | null;
  patientId: string | null;
  patientBirthDate: string | null;
}

/** A file the store refuses, with the PS3.18 failure reason code. */
export class DicomFileRejected extends Error {
  constructor(
    message: string,
    readonly failureReason: number,
    readonly sopInstanceUid: string | null = null,
    readonly sopClassUid: string | null = null,
  ) {
    super(message);
  }
}

/** Binary values up to this size are inlined in metadata (InlineBinary); larger ones are dropped. */
const MAX_INLINE_BINARY = 64 * 1024;

/** Strips NUL padding (PostgreSQL text/jsonb refuse U+0000) and non-finite numbers. */
function cleanValue(v: unknown): unknown {
  if (typeof v === "string") return v.replace(/\0/g, "").trimEnd();
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (v && typeof v === "object" && !Array.isArray(v)) {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([k]) => !k.startsWith("_")).map(([k, x]) => [k, cleanValue(x)]));
  }
  return v;
}

function toDicomJson(dict: Record<string, { vr: string; Value?: unknown[]; InlineBinary?: string }>): DicomJson {
  const out: DicomJson = {};
  for (const tag of Object.keys(dict).sort()) {
    const el = dict[tag]!;
    const vr = el.vr;
    if (tag.toUpperCase() === "7FE00010" || !vr) continue;
    if (el.InlineBinary !== undefined) {
      out[tag] = { vr, InlineBinary: el.InlineBinary };
      continue;
    }
    const value = el.Value;
    if (!Array.isArray(value) || value.length === 0) {
      out[tag] = { vr };
      continue;
    }
    if (vr === "SQ") {
      out[tag] = { vr, Value: value.map((item) => toDicomJson((item ?? {}) as Record<string, { vr: string; Value?: unknown[] }>)) };
      continue;
    }
    if (value[0] instanceof ArrayBuffer || ArrayBuffer.isView(value[0])) {
      const bufs = value.map((v) => (v instanceof ArrayBuffer ? Buffer.from(v) : Buffer.from((v as ArrayBufferView).buffer, (v as ArrayBufferView).byteOffset, (v as ArrayBufferView).byteLength)));
      const total = Buffer.concat(bufs);
      out[tag] = total.length <= MAX_INLINE_BINARY ? { vr, InlineBinary: total.toString("base64") } : { vr };
      continue;
    }
    const cleaned = value.map(cleanValue);
    out[tag] = { vr, Value: cleaned };
  }
  return out;
}

const str = (inst: DicomInstance, tag: string): string | null => {
  const e = inst.dataSet.elements[tag];
  if (!e || e.length === 0) return null;
  const v = inst.dataSet.string(tag)?.replace(/\0/g, "").trim();
  return v ? v : null;
};

/**
 * Parses a stored file.
 * @throws DicomFileRejected (0xC000 "cannot understand") when the bytes are not DICOM Part 10 or
 *   lack the SOP/study/series identifiers.
 */
export function parseStoredFile(bytes: Buffer, sourceName: string): ParsedFile {
  let inst: DicomInstance;
  try {
    inst = parseDicomPart10(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), sourceName);
  } catch (e) {
    const msg = e instanceof DicomParseError ? e.code : "PARSE_ERROR";
    throw new DicomFileRejected(`not a readable DICOM Part 10 file (${msg})`, 0xc000);
  }
  const sop = inst.sopInstanceUid;
  const cls = inst.sopClassUid;
  if (!sop || !cls || !inst.studyInstanceUid || !inst.seriesInstanceUid) {
    throw new DicomFileRejected("SOP Instance UID, SOP Class UID, Study Instance UID and Series Instance UID are required", 0xc000, sop ?? null, cls ?? null);
  }
  let metadata: DicomJson;
  try {
    metadata = dataSetToJson(inst.dataSet);
  } catch {
    // fall back to dcmjs' reader for anything unusual
    try {
      const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      metadata = toDicomJson(dcmjs.data.DicomMessage.readFile(ab, { untilTag: "7FE00010", includeUntilTagValue: false, ignoreErrors: true }).dict);
    } catch {
      throw new DicomFileRejected("data set could not be decoded", 0xc000, sop, cls);
    }
  }
  delete metadata["7FE00010"];
  metadata["00083002"] = { vr: "UI", Value: [inst.transferSyntax.uid] };

  let pixelDataOffset: number | null = null;
  let frameLength: number | null = null;
  const img = inst.image;
  const px = inst.dataSet.elements.x7fe00010;
  if (img && px && inst.transferSyntax.encoding === "native" && inst.dataSet.byteArray.length === bytes.length) {
    const fl = (img.rows * img.columns * img.samplesPerPixel * img.bitsAllocated) / 8;
    if (Number.isInteger(fl) && px.dataOffset + fl * img.numberOfFrames <= bytes.length) {
      pixelDataOffset = px.dataOffset;
      frameLength = fl;
    }
  }
  let sliceLocationMm: number | null = null;
  if (img?.imagePositionPatient && img.imageOrientationPatient) {
    const [a, b, c, d, e, f] = img.imageOrientationPatient;
    const n = [b * f - c * e, c * d - a * f, a * e - b * d];
    const p = img.imagePositionPatient;
    sliceLocationMm = p[0] * n[0]! + p[1] * n[1]! + p[2] * n[2]!;
  }
  const modality = inst.modality ?? null;
  const seriesNumberRaw = str(inst, "x00200011");
  return {
    sopInstanceUid: sop,
    sopClassUid: cls,
    studyInstanceUid: inst.studyInstanceUid,
    seriesInstanceUid: inst.seriesInstanceUid,
    transferSyntaxUid: inst.transferSyntax.uid,
    modality,
    instanceNumber: img?.instanceNumber ?? (str(inst, "x00200013") ? Number(str(inst, "x00200013")) || null : null),
    seriesNumber: seriesNumberRaw && /^[+-]?\d+$/.test(seriesNumberRaw) ? Number(seriesNumberRaw) : null,
    frameOfReferenceUid: inst.frameOfReferenceUid ?? null,
    numberOfFrames: img?.numberOfFrames ?? 1,
    pixelDataOffset,
    frameLength,
    sliceLocationMm,
    metadata,
    pet: modality === "PT" || modality === "NM" ? extractPetMetadata(inst) : null,
    patientId: str(inst, "x00100020"),
    patientBirthDate: str(inst, "x00100030"),
  };
}

/**
 * Bytes of frame `frameIndex` (0-based) of an encapsulated (compressed) instance, as stored.
 * @throws DicomFileRejected when the frame does not exist.
 */
export function encapsulatedFrame(bytes: Buffer, frameIndex: number): Buffer {
  const ds = dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const px = ds.elements.x7fe00010;
  if (!px || !px.encapsulatedPixelData) throw new DicomFileRejected("no encapsulated pixel data", 0xc000);
  const n = Number(ds.intString("x00280008") ?? 1) || 1;
  if (frameIndex < 0 || frameIndex >= n) throw new DicomFileRejected("frame out of range", 0xc000);
  let frame: Uint8Array;
  if (px.basicOffsetTable && px.basicOffsetTable.length > 0) {
    frame = dicomParser.readEncapsulatedImageFrame(ds, px, frameIndex);
  } else if (n === 1) {
    frame = dicomParser.readEncapsulatedPixelDataFromFragments(ds, px, 0, px.fragments?.length ?? 1);
  } else if ((px.fragments?.length ?? 0) === n) {
    frame = dicomParser.readEncapsulatedPixelDataFromFragments(ds, px, frameIndex, 1);
  } else {
    frame = dicomParser.readEncapsulatedImageFrame(ds, px, frameIndex, dicomParser.createJPEGBasicOffsetTable(ds, px));
  }
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
}
