import dcmjs from "dcmjs";
import dicomParser, { type DataSet, type Element } from "dicom-parser";
import type { DicomJson } from "@lutetia/db";

/**
 * DICOM JSON (PS3.18 Annex F.2) from an already parsed dicom-parser data set, without Pixel
 * Data. Explicit VR files carry their VRs; implicit VR files take them from the standard data
 * dictionary (dcmjs's); unknown and private tags become UN. Binary values are inlined (base64)
 * up to 64 KiB. Strings are decoded as UTF-8 when Specific Character Set (0008,0005) is ISO_IR
 * 192, as Latin-1 otherwise.
 */
const MAX_INLINE_BINARY = 64 * 1024;
const dictionary = (dcmjs as unknown as { data: { DicomMetaDictionary: { dictionary: Record<string, { vr: string } | undefined> } } }).data.DicomMetaDictionary.dictionary;

const STRING_VRS = new Set(["AE", "AS", "CS", "DA", "DT", "LO", "SH", "TM", "UC", "UI"]);
const TEXT_VRS = new Set(["LT", "ST", "UT", "UR"]);
const BINARY_VRS = new Set(["OB", "OW", "OF", "OD", "OL", "OV", "UN", "SV", "UV"]);

/** VR of an element: explicit, or from the dictionary (implicit VR, and UN for a known tag: CP-246). */
function vrOf(el: Element, key: string): string {
  if (el.vr && el.vr !== "UN") return el.vr;
  if (key.endsWith("0000")) return "UL"; // group length
  const d = dictionary[`(${key.slice(0, 4)},${key.slice(4)})`];
  const vr = d?.vr;
  if (!vr) return "UN";
  if (vr === "ox" || vr === "OB or OW") return "OW";
  if (vr === "xs" || vr === "US or SS") return "US";
  if (vr.length !== 2) return "UN";
  return vr;
}

function text(ds: DataSet, el: Element, utf8: boolean): string {
  const bytes = ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length);
  return utf8 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8") : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

function implicitItems(ds: DataSet, el: Element): DataSet[] {
  if (el.items) return el.items.map((i) => i.dataSet).filter((d): d is DataSet => d !== undefined);
  if (el.length <= 0) return [];
  try {
    const stream = new dicomParser.ByteStream(dicomParser.littleEndianByteArrayParser, ds.byteArray, el.dataOffset);
    const fake: Element = { tag: el.tag, length: el.length, dataOffset: el.dataOffset, hadUndefinedLength: false };
    dicomParser.readSequenceItemsImplicit(stream, fake);
    return (fake.items ?? []).map((i) => i.dataSet).filter((d): d is DataSet => d !== undefined);
  } catch {
    return [];
  }
}

/** Converts a data set (or a sequence item) to DICOM JSON. */
export function dataSetToJson(ds: DataSet, utf8?: boolean): DicomJson {
  const isUtf8 = utf8 ?? /ISO_IR 192/.test(ds.string("x00080005") ?? "");
  const out: DicomJson = {};
  for (const tag of Object.keys(ds.elements).sort()) {
    const el = ds.elements[tag]!;
    const key = tag.slice(1).toUpperCase();
    if (key.startsWith("0002") || key === "7FE00010" || key.endsWith("0000") || key.startsWith("FFFE")) continue;
    const vr = el.items ? "SQ" : vrOf(el, key);
    if (vr === "SQ") {
      const items = el.items ? el.items.map((i) => i.dataSet).filter((d): d is DataSet => d !== undefined) : implicitItems(ds, el);
      out[key] = items.length ? { vr, Value: items.map((i) => dataSetToJson(i, isUtf8)) } : { vr };
      continue;
    }
    if (el.length === 0) {
      out[key] = { vr };
      continue;
    }
    if (STRING_VRS.has(vr) || vr === "DS" || vr === "IS" || vr === "PN") {
      const parts = text(ds, el, isUtf8).replace(/\0/g, "").split("\\").map((s) => s.trim());
      if (vr === "DS" || vr === "IS") {
        out[key] = { vr, Value: parts.map((s) => (s === "" ? null : Number.isFinite(Number(s)) ? Number(s) + 0 : s)) };
      } else if (vr === "PN") {
        out[key] = {
          vr,
          Value: parts.map((s) => {
            if (s === "") return null;
            const [a, i, p] = s.split("=");
            return { ...(a ? { Alphabetic: a } : {}), ...(i ? { Ideographic: i } : {}), ...(p ? { Phonetic: p } : {}) };
          }),
        };
      } else {
        out[key] = { vr, Value: parts.map((s) => (s === "" ? null : s)) };
      }
      continue;
    }
    if (TEXT_VRS.has(vr)) {
      const s = text(ds, el, isUtf8).replace(/\0/g, "").replace(/\s+$/, "");
      out[key] = s ? { vr, Value: [s] } : { vr };
      continue;
    }
    const size = vr === "US" || vr === "SS" ? 2 : vr === "UL" || vr === "SL" || vr === "FL" || vr === "AT" ? 4 : vr === "FD" ? 8 : 0;
    if (size > 0 && el.length % size === 0) {
      const n = el.length / size;
      const vals: unknown[] = [];
      for (let i = 0; i < n; i++) {
        if (vr === "US") vals.push(ds.uint16(tag, i));
        else if (vr === "SS") vals.push(ds.int16(tag, i));
        else if (vr === "UL") vals.push(ds.uint32(tag, i));
        else if (vr === "SL") vals.push(ds.int32(tag, i));
        else if (vr === "FL") vals.push(ds.float(tag, i));
        else if (vr === "FD") vals.push(ds.double(tag, i));
        else {
          const g = ds.uint16(tag, 2 * i) ?? 0;
          const e = ds.uint16(tag, 2 * i + 1) ?? 0;
          vals.push(`${g.toString(16).padStart(4, "0")}${e.toString(16).padStart(4, "0")}`.toUpperCase());
        }
      }
      out[key] = { vr, Value: vals.map((v) => (typeof v === "number" && !Number.isFinite(v) ? null : v)) };
      continue;
    }
    if (BINARY_VRS.has(vr) || size > 0) {
      if (el.length <= MAX_INLINE_BINARY) {
        const b = ds.byteArray.subarray(el.dataOffset, el.dataOffset + el.length);
        out[key] = { vr: size > 0 ? "UN" : vr, InlineBinary: Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64") };
      } else out[key] = { vr };
      continue;
    }
    out[key] = { vr };
  }
  return out;
}
