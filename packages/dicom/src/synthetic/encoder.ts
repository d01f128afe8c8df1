/**
 * Minimal DICOM data-set encoder for synthetic test objects (PS3.5 §7.1 data elements, §7.5
 * sequences, A.4 encapsulation, PS3.10 §7.1 Part 10 file). Not a general-purpose writer:
 * it encodes exactly the elements it is given, sorted by tag.
 */
import { deflateRaw } from "pako";
import { DicomParseError } from "../errors.js";
import { transferSyntaxInfo, TransferSyntaxUids } from "../transfer-syntax.js";

/** Value of one element to encode. */
export type ElementValue =
  | { kind: "str"; value: string }
  | { kind: "u16"; value: number[] }
  | { kind: "u32"; value: number[] }
  | { kind: "bytes"; value: Uint8Array }
  | { kind: "words"; value: Uint16Array | Int16Array }
  | { kind: "seq"; items: DicomElementSpec[][] }
  | { kind: "encapsulated"; frames: Uint8Array[] };

/** An element to encode: tag as `0xGGGGEEEE`, VR, value. */
export interface DicomElementSpec {
  tag: number;
  vr: string;
  value: ElementValue;
}

const LONG_VRS = new Set(["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT"]);

class ByteSink {
  private buf = new Uint8Array(1024);
  private dv = new DataView(this.buf.buffer);
  length = 0;
  constructor(private readonly bigEndian: boolean) {}
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.length));
    this.buf = nb;
    this.dv = new DataView(nb.buffer);
  }
  u16(v: number): void {
    this.ensure(2);
    this.dv.setUint16(this.length, v, !this.bigEndian);
    this.length += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.dv.setUint32(this.length, v >>> 0, !this.bigEndian);
    this.length += 4;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  ascii(s: string): void {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.length + i] = s.charCodeAt(i) & 0xff;
    this.length += s.length;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function padString(vr: string, s: string): Uint8Array {
  const padded = s.length % 2 === 0 ? s : s + (vr === "UI" ? "\0" : " ");
  const out = new Uint8Array(padded.length);
  for (let i = 0; i < padded.length; i++) out[i] = padded.charCodeAt(i) & 0xff;
  return out;
}

function valueBytes(el: DicomElementSpec, explicit: boolean, bigEndian: boolean): Uint8Array {
  const v = el.value;
  switch (v.kind) {
    case "str":
      return padString(el.vr, v.value);
    case "u16": {
      const s = new ByteSink(bigEndian);
      for (const x of v.value) s.u16(x);
      return s.result();
    }
    case "u32": {
      const s = new ByteSink(bigEndian);
      for (const x of v.value) s.u32(x);
      return s.result();
    }
    case "bytes":
      return v.value.length % 2 === 0 ? v.value : concat([v.value, new Uint8Array(1)]);
    case "words": {
      const out = new Uint8Array(v.value.length * 2);
      const dv = new DataView(out.buffer);
      for (let i = 0; i < v.value.length; i++)
        dv.setUint16(i * 2, (v.value[i] as number) & 0xffff, !bigEndian);
      return out;
    }
    case "seq": {
      const s = new ByteSink(bigEndian);
      for (const item of v.items) {
        const body = encodeElements(item, explicit, bigEndian);
        s.u16(0xfffe);
        s.u16(0xe000);
        s.u32(body.length);
        s.bytes(body);
      }
      return s.result();
    }
    case "encapsulated":
      throw new Error("encapsulated handled by caller");
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Encodes data elements as a data-set byte stream (PS3.5 §7.1.2 explicit / §7.1.3 implicit VR
 * element layout, §7.5.1 sequences with defined-length items, A.4 encapsulated pixel data).
 *
 * @param elements - elements in any order (sorted by tag here); strings are padded to even length.
 * @param explicit - Explicit VR (true) or Implicit VR (false).
 * @param bigEndian - byte order of numbers and OW words.
 * @returns the encoded bytes.
 * @throws Error if a short-form value exceeds 65 535 bytes or encapsulated pixel data is
 *   requested outside Explicit VR Little Endian.
 */
export function encodeElements(
  elements: readonly DicomElementSpec[],
  explicit: boolean,
  bigEndian: boolean,
): Uint8Array {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  const s = new ByteSink(bigEndian);
  for (const el of sorted) {
    const group = el.tag >>> 16;
    const elem = el.tag & 0xffff;
    s.u16(group);
    s.u16(elem);
    if (el.value.kind === "encapsulated") {
      if (!explicit || bigEndian)
        throw new Error("encapsulated pixel data needs explicit VR little endian");
      s.ascii("OB");
      s.u16(0);
      s.u32(0xffffffff);
      s.u16(0xfffe);
      s.u16(0xe000);
      s.u32(0); // empty Basic Offset Table
      for (const f of el.value.frames) {
        const fb = f.length % 2 === 0 ? f : concat([f, new Uint8Array(1)]);
        s.u16(0xfffe);
        s.u16(0xe000);
        s.u32(fb.length);
        s.bytes(fb);
      }
      s.u16(0xfffe);
      s.u16(0xe0dd);
      s.u32(0);
      continue;
    }
    const body = valueBytes(el, explicit, bigEndian);
    if (explicit) {
      s.ascii(el.vr);
      if (LONG_VRS.has(el.vr)) {
        s.u16(0);
        s.u32(body.length);
      } else {
        if (body.length > 0xffff)
          throw new Error(
            `value of (${group.toString(16)},${elem.toString(16)}) too long for VR ${el.vr}`,
          );
        s.u16(body.length);
      }
    } else {
      s.u32(body.length);
    }
    s.bytes(body);
  }
  return s.result();
}

/** Transfer syntaxes the encoder can write. */
export const WRITABLE_TRANSFER_SYNTAXES: readonly string[] = [
  TransferSyntaxUids.explicitVrLittleEndian,
  TransferSyntaxUids.implicitVrLittleEndian,
  TransferSyntaxUids.explicitVrBigEndian,
  TransferSyntaxUids.deflatedExplicitVrLittleEndian,
  TransferSyntaxUids.rleLossless,
];

/**
 * Encodes a complete Part 10 file: 128-byte preamble, `DICM`, File Meta Information group
 * (0002) in Explicit VR LE (PS3.10 §7.1), then the data set in the requested transfer syntax
 * (deflated with pako for 1.2.840.10008.1.2.1.99).
 *
 * @param elements - data-set elements (group 0002 must not be included).
 * @param sopClassUid - Media Storage SOP Class UID (0002,0002).
 * @param sopInstanceUid - Media Storage SOP Instance UID (0002,0003).
 * @param transferSyntaxUid - any UID; {@link WRITABLE_TRANSFER_SYNTAXES} are encoded natively
 *   (big endian, implicit VR, deflate as the UID says); for RLE and other encapsulated syntaxes
 *   the caller must provide already-compressed encapsulated Pixel Data.
 * @returns the file bytes.
 * @throws DicomParseError `INVALID_ARGUMENT` for a malformed UID.
 */
export function encodePart10(
  elements: readonly DicomElementSpec[],
  sopClassUid: string,
  sopInstanceUid: string,
  transferSyntaxUid: string,
): Uint8Array {
  const ts = transferSyntaxInfo(transferSyntaxUid);
  if (!/^[0-9]+(\.[0-9]+)*$/.test(ts.uid) || ts.uid.length > 64) {
    throw new DicomParseError(
      "INVALID_ARGUMENT",
      `"${ts.uid}" is not a valid transfer syntax UID`,
      { transferSyntaxUid: ts.uid, value: ts.uid },
    );
  }
  const str = (v: string): ElementValue => ({ kind: "str", value: v });
  const metaBody = encodeElements(
    [
      { tag: 0x00020001, vr: "OB", value: { kind: "bytes", value: new Uint8Array([0, 1]) } },
      { tag: 0x00020002, vr: "UI", value: str(sopClassUid) },
      { tag: 0x00020003, vr: "UI", value: str(sopInstanceUid) },
      { tag: 0x00020010, vr: "UI", value: str(ts.uid) },
      { tag: 0x00020012, vr: "UI", value: str("2.25.94157206497271530383396014466577853713") },
      { tag: 0x00020013, vr: "SH", value: str("LUTETIA_DICOM_1") },
    ],
    true,
    false,
  );
  const groupLength = encodeElements(
    [{ tag: 0x00020000, vr: "UL", value: { kind: "u32", value: [metaBody.length] } }],
    true,
    false,
  );
  const explicit = ts.uid !== TransferSyntaxUids.implicitVrLittleEndian;
  let body = encodeElements(elements, explicit, ts.bigEndian);
  if (ts.encoding === "deflated") body = deflateRaw(body);
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
  return concat([preamble, groupLength, metaBody, body]);
}

function packBits(src: Uint8Array, out: number[]): void {
  let i = 0;
  const n = src.length;
  while (i < n) {
    let run = 1;
    while (i + run < n && run < 128 && src[i + run] === src[i]) run++;
    if (run >= 3) {
      out.push(257 - run, src[i] as number);
      i += run;
      continue;
    }
    const start = i;
    let len = 0;
    while (i < n && len < 128) {
      if (i + 2 < n && src[i] === src[i + 1] && src[i] === src[i + 2]) break;
      i++;
      len++;
    }
    out.push(len - 1);
    for (let k = start; k < start + len; k++) out.push(src[k] as number);
  }
}

/**
 * Encodes one frame as RLE Lossless (PS3.5 Annex G): one PackBits segment per byte plane,
 * most significant byte first, 64-byte header of segment offsets.
 *
 * @param values - stored values of one frame (single sample per pixel).
 * @param bytesPerSample - 1, 2 or 4.
 * @returns the encoded frame (even length).
 * @throws never.
 */
export function encodeRleFrame(values: ArrayLike<number>, bytesPerSample: 1 | 2 | 4): Uint8Array {
  const n = values.length;
  const segments: number[][] = [];
  const plane = new Uint8Array(n);
  for (let b = bytesPerSample - 1; b >= 0; b--) {
    for (let i = 0; i < n; i++) plane[i] = ((values[i] as number) >>> (8 * b)) & 0xff;
    const seg: number[] = [];
    packBits(plane, seg);
    if (seg.length % 2 === 1) seg.push(0x80); // no-op byte keeps segments even
    segments.push(seg);
  }
  const header = new Uint8Array(64);
  const dv = new DataView(header.buffer);
  dv.setUint32(0, segments.length, true);
  let off = 64;
  segments.forEach((s, k) => {
    dv.setUint32(4 + 4 * k, off, true);
    off += s.length;
  });
  return concat([header, ...segments.map((s) => Uint8Array.from(s))]);
}
