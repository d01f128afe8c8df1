/**
 * DICOM Part 10 reading on top of dicom-parser (PS3.10 §7 file format, PS3.5 §7 data set
 * encoding). Extracts the image-pixel and geometry attributes once, so the volume assembler
 * never re-parses strings on its hot path.
 */
import dicomParser from "dicom-parser";
import type { DataSet, Element } from "dicom-parser";
import { inflateRaw } from "pako";
import { DicomParseError } from "./errors.js";
import { transferSyntaxInfo, type TransferSyntaxInfo } from "./transfer-syntax.js";
import { parseDecimalString, parseDecimalStrings } from "./values.js";

/** A 3-vector in patient coordinates (mm) or a direction cosine triple. */
export type Vec3 = [number, number, number];

/** Image Pixel module (PS3.3 C.7.6.3) and Image Plane module (PS3.3 C.7.6.2) values of one instance. */
export interface ImagePixelDescription {
  /** Rows (0028,0010): number of pixels along a column, i.e. the y extent. */
  rows: number;
  /** Columns (0028,0011): the x extent. */
  columns: number;
  /** Bits Allocated (0028,0100): 8, 16 or 32 supported. */
  bitsAllocated: number;
  /** Bits Stored (0028,0101). */
  bitsStored: number;
  /** Pixel Representation (0028,0103): 0 unsigned, 1 two's complement. */
  pixelRepresentation: 0 | 1;
  /** Samples per Pixel (0028,0002): only 1 is supported for volumes. */
  samplesPerPixel: number;
  /** Photometric Interpretation (0028,0004), e.g. `MONOCHROME2`. */
  photometricInterpretation: string;
  /** Number of Frames (0028,0008), 1 if absent. */
  numberOfFrames: number;
  /** Rescale Slope (0028,1053), 1 if absent. */
  rescaleSlope: number;
  /** Rescale Intercept (0028,1052), 0 if absent. */
  rescaleIntercept: number;
  /** Image Position (Patient) (0020,0032), mm: centre of the first transmitted voxel. */
  imagePositionPatient: Vec3 | undefined;
  /** Image Orientation (Patient) (0020,0037): row cosines then column cosines. */
  imageOrientationPatient: [number, number, number, number, number, number] | undefined;
  /** Pixel Spacing (0028,0030), mm: [between rows (y), between columns (x)]. */
  pixelSpacingMm: [number, number] | undefined;
  /** Slice Thickness (0018,0050), mm. */
  sliceThicknessMm: number | undefined;
  /** Spacing Between Slices (0018,0088), mm. */
  spacingBetweenSlicesMm: number | undefined;
  /** Instance Number (0020,0013). */
  instanceNumber: number | undefined;
}

/** One parsed Part 10 object. */
export interface DicomInstance {
  /** Caller-supplied name of the file or buffer, used in every message. */
  readonly sourceName: string;
  readonly transferSyntax: TransferSyntaxInfo;
  /** The dicom-parser data set (elements are lazily decoded by the accessors). */
  readonly dataSet: DataSet;
  /** SOP Class UID (0008,0016). */
  readonly sopClassUid: string | undefined;
  /** SOP Instance UID (0008,0018). */
  readonly sopInstanceUid: string | undefined;
  /** Series Instance UID (0020,000E). */
  readonly seriesInstanceUid: string | undefined;
  /** Study Instance UID (0020,000D). */
  readonly studyInstanceUid: string | undefined;
  /** Frame of Reference UID (0020,0052). */
  readonly frameOfReferenceUid: string | undefined;
  /** Modality (0008,0060). */
  readonly modality: string | undefined;
  /** Image description; `undefined` when the object has no Pixel Data (7FE0,0010). */
  readonly image: ImagePixelDescription | undefined;
}

/** Options for {@link parseDicomPart10}. */
export interface ParseOptions {
  /**
   * Accept a raw data set without the 128-byte preamble + `DICM` + file meta information
   * (assumed Implicit VR Little Endian, PS3.5 A.1). Default false.
   */
  allowRawDataSet?: boolean;
}

/**
 * Formats a dicom-parser tag `xggggeeee` as `(GGGG,EEEE)`.
 * @throws never.
 */
export function formatTag(tag: string): string {
  const t = tag.startsWith("x") ? tag.slice(1) : tag;
  return `(${t.slice(0, 4).toUpperCase()},${t.slice(4, 8).toUpperCase()})`;
}

function describeThrown(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === "string") return e;
  if (e !== null && typeof e === "object" && "exception" in e)
    return describeThrown((e as { exception: unknown }).exception);
  return String(e);
}

function toUint8(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

function inflater(arr: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRaw(arr.subarray(position));
  const out = new Uint8Array(position + inflated.length);
  out.set(arr.subarray(0, position), 0);
  out.set(inflated, position);
  return out;
}

/**
 * Reads a string attribute (CS, LO, SH, UI, DA, TM, DT ...), trimmed; `undefined` if absent/empty.
 * @throws never.
 */
export function readString(ds: DataSet, tag: string, index?: number): string | undefined {
  const e = ds.elements[tag];
  if (e === undefined || e.length === 0) return undefined;
  const v = index === undefined ? ds.string(tag) : ds.string(tag, index);
  if (v === undefined) return undefined;
  const t = v.replace(/\0/g, "").trim();
  return t === "" ? undefined : t;
}

/**
 * Reads the raw (untrimmed between backslashes) string of a possibly multi-valued attribute.
 * @throws never.
 */
export function readRawString(ds: DataSet, tag: string): string | undefined {
  const e = ds.elements[tag];
  if (e === undefined || e.length === 0) return undefined;
  const t = dicomParser
    .readFixedString(ds.byteArray, e.dataOffset, e.length)
    .replace(/\0/g, "")
    .trim();
  return t === "" ? undefined : t;
}

/**
 * Reads a single-valued US (or a US-sized value of a UN element).
 * @throws never.
 */
export function readUint16(ds: DataSet, tag: string): number | undefined {
  const e = ds.elements[tag];
  if (e === undefined || e.length < 2) return undefined;
  return ds.uint16(tag);
}

/**
 * Reads a single DS value; `undefined` if absent or malformed.
 * @throws never.
 */
export function readDs(ds: DataSet, tag: string): number | undefined {
  return parseDecimalString(readRawString(ds, tag)?.split("\\")[0])?.value;
}

/**
 * Reads an IS value; `undefined` if absent or malformed.
 * @throws never.
 */
export function readIs(ds: DataSet, tag: string): number | undefined {
  const s = readString(ds, tag);
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  return Number(s);
}

/**
 * Items of a sequence attribute. Handles the CP-246 case where a sequence was stored with VR UN
 * in an explicit-VR file: its content is then Implicit VR Little Endian (PS3.5 §6.2.2 note).
 * @throws never.
 */
export function sequenceItems(ds: DataSet, tag: string): DataSet[] {
  const e: Element | undefined = ds.elements[tag];
  if (e === undefined) return [];
  if (e.items !== undefined)
    return e.items.map((i) => i.dataSet).filter((d): d is DataSet => d !== undefined);
  if (e.vr === "UN" && e.length > 0) {
    try {
      const stream = new dicomParser.ByteStream(
        dicomParser.littleEndianByteArrayParser,
        ds.byteArray,
        e.dataOffset,
      );
      const fake: Element = {
        tag: e.tag,
        length: e.length,
        dataOffset: e.dataOffset,
        hadUndefinedLength: false,
      };
      dicomParser.readSequenceItemsImplicit(stream, fake);
      return (fake.items ?? []).map((i) => i.dataSet).filter((d): d is DataSet => d !== undefined);
    } catch {
      return [];
    }
  }
  return [];
}

/**
 * Finds a private element by private creator (PS3.5 §7.8.1): looks up the creator string in
 * (gggg,0010)–(gggg,00FF) and returns the tag `xggggBBee` of element `elementLow` (00–FF) in
 * that block, or `undefined` if the creator is absent (e.g. stripped by an anonymiser).
 * @throws never.
 */
export function findPrivateTag(
  ds: DataSet,
  group: string,
  creator: string,
  elementLow: number,
): string | undefined {
  const g = group.toLowerCase();
  const want = creator.trim().toUpperCase();
  // Private creators are (gggg,0010)–(gggg,00FF). Scan only the elements present (a parsed
  // data set holds a few hundred) instead of probing 240 tags: ~1000× fewer lookups per call.
  const prefix = `x${g}00`;
  for (const key in ds.elements) {
    if (key.length !== 9 || !key.startsWith(prefix)) continue;
    const block = parseInt(key.slice(7), 16);
    if (block < 0x10) continue;
    const v = readString(ds, key);
    if (v !== undefined && v.toUpperCase() === want) {
      return `x${g}${key.slice(7)}${elementLow.toString(16).padStart(2, "0")}`;
    }
  }
  return undefined;
}

function vec(
  ds: DataSet,
  tag: string,
  n: number,
  sourceName: string,
  keyword: string,
  ts: string,
): number[] | undefined {
  const raw = readRawString(ds, tag);
  if (raw === undefined) return undefined;
  const v = parseDecimalStrings(raw);
  if (v === undefined || v.length !== n) {
    throw new DicomParseError(
      "INVALID_ATTRIBUTE",
      `${sourceName}: ${keyword} ${formatTag(tag)} must hold ${n} decimal values, found "${raw}"`,
      { sourceName, transferSyntaxUid: ts, attribute: `${keyword} ${formatTag(tag)}`, value: raw },
    );
  }
  return v;
}

function readImageDescription(
  ds: DataSet,
  sourceName: string,
  ts: string,
): ImagePixelDescription | undefined {
  if (ds.elements.x7fe00010 === undefined) return undefined;
  const fail = (keyword: string, tag: string, value: unknown, why: string): never => {
    throw new DicomParseError(
      "INVALID_ATTRIBUTE",
      `${sourceName}: ${keyword} ${formatTag(tag)} ${why} (value: ${String(value)})`,
      {
        sourceName,
        transferSyntaxUid: ts,
        attribute: `${keyword} ${formatTag(tag)}`,
        value,
      },
    );
  };
  const rows = readUint16(ds, "x00280010");
  const columns = readUint16(ds, "x00280011");
  const bitsAllocated = readUint16(ds, "x00280100");
  if (rows === undefined || rows === 0) fail("Rows", "x00280010", rows, "is missing or zero");
  if (columns === undefined || columns === 0)
    fail("Columns", "x00280011", columns, "is missing or zero");
  if (bitsAllocated === undefined || ![8, 16, 32].includes(bitsAllocated))
    fail("BitsAllocated", "x00280100", bitsAllocated, "must be 8, 16 or 32");
  const bitsStored = readUint16(ds, "x00280101") ?? (bitsAllocated as number);
  if (bitsStored < 1 || bitsStored > (bitsAllocated as number))
    fail("BitsStored", "x00280101", bitsStored, "must be 1..BitsAllocated");
  const pr = readUint16(ds, "x00280103") ?? 0;
  if (pr !== 0 && pr !== 1) fail("PixelRepresentation", "x00280103", pr, "must be 0 or 1");
  const slope = readDs(ds, "x00281053") ?? 1;
  const intercept = readDs(ds, "x00281052") ?? 0;
  const iop = vec(ds, "x00200037", 6, sourceName, "ImageOrientationPatient", ts);
  const ipp = vec(ds, "x00200032", 3, sourceName, "ImagePositionPatient", ts);
  const ps = vec(ds, "x00280030", 2, sourceName, "PixelSpacing", ts);
  return {
    rows: rows as number,
    columns: columns as number,
    bitsAllocated: bitsAllocated as number,
    bitsStored,
    pixelRepresentation: pr as 0 | 1,
    samplesPerPixel: readUint16(ds, "x00280002") ?? 1,
    photometricInterpretation: readString(ds, "x00280004") ?? "MONOCHROME2",
    numberOfFrames: readIs(ds, "x00280008") ?? 1,
    rescaleSlope: slope,
    rescaleIntercept: intercept,
    imagePositionPatient: ipp as Vec3 | undefined,
    imageOrientationPatient: iop as ImagePixelDescription["imageOrientationPatient"],
    pixelSpacingMm: ps as [number, number] | undefined,
    sliceThicknessMm: readDs(ds, "x00180050"),
    spacingBetweenSlicesMm: readDs(ds, "x00180088"),
    instanceNumber: readIs(ds, "x00200013"),
  };
}

/**
 * Parses a DICOM Part 10 file (PS3.10 §7.1: preamble, `DICM`, File Meta Information, data set).
 *
 * Supports Implicit VR LE, Explicit VR LE, Explicit VR BE and Deflated Explicit VR LE
 * (inflated with pako). Compressed transfer syntaxes parse fine here; their pixel data is
 * decoded by {@link decodeFrame}.
 *
 * @param bytes - the whole file.
 * @param sourceName - file name or label used in error messages and findings.
 * @returns the parsed instance with its image description extracted.
 * @throws DicomParseError `NOT_DICOM` (no `DICM` prefix / no transfer syntax), `PARSE_FAILED`
 *   (truncated or malformed data set), `INVALID_ATTRIBUTE` (e.g. a Pixel Spacing that is not two
 *   numbers, unsupported Bits Allocated).
 */
export function parseDicomPart10(
  bytes: Uint8Array | ArrayBuffer,
  sourceName: string,
  options: ParseOptions = {},
): DicomInstance {
  const arr = toUint8(bytes);
  const hasPrefix =
    arr.length >= 132 &&
    arr[128] === 0x44 &&
    arr[129] === 0x49 &&
    arr[130] === 0x43 &&
    arr[131] === 0x4d;
  if (!hasPrefix && !options.allowRawDataSet) {
    throw new DicomParseError(
      "NOT_DICOM",
      `${sourceName}: not a DICOM Part 10 file (no "DICM" prefix at byte 128; ${arr.length} bytes)`,
      {
        sourceName,
      },
    );
  }
  let ds: DataSet;
  try {
    ds = hasPrefix
      ? dicomParser.parseDicom(arr, { inflater })
      : dicomParser.parseDicom(arr, { TransferSyntaxUID: "1.2.840.10008.1.2" });
  } catch (e) {
    const msg = describeThrown(e);
    const code = /0002,0010|meta header/i.test(msg) ? "NOT_DICOM" : "PARSE_FAILED";
    throw new DicomParseError(code, `${sourceName}: cannot parse DICOM data set: ${msg}`, {
      sourceName,
      cause: e,
    });
  }
  const tsUid = readString(ds, "x00020010") ?? "1.2.840.10008.1.2";
  const transferSyntax = transferSyntaxInfo(tsUid);
  return {
    sourceName,
    transferSyntax,
    dataSet: ds,
    sopClassUid: readString(ds, "x00080016"),
    sopInstanceUid: readString(ds, "x00080018"),
    seriesInstanceUid: readString(ds, "x0020000e"),
    studyInstanceUid: readString(ds, "x0020000d"),
    frameOfReferenceUid: readString(ds, "x00200052"),
    modality: readString(ds, "x00080060"),
    image: readImageDescription(ds, sourceName, transferSyntax.uid),
  };
}
