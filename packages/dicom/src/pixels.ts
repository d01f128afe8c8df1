/**
 * Pixel data access and decoding (PS3.5 §8 native and encapsulated pixel data; Annex G RLE).
 *
 * Native frames are returned as typed-array *views* on the file buffer whenever alignment
 * allows (no copy); big-endian frames are byte-swapped into a new array.
 */
import dicomParser from "dicom-parser";
import { DicomParseError } from "./errors.js";
import type { DicomInstance, ImagePixelDescription } from "./parse.js";

/** Stored (pre-rescale) pixel values of one frame, row-major, x fastest. */
export type StoredPixelArray =
  Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

function requireImage(inst: DicomInstance): ImagePixelDescription {
  if (inst.image === undefined) {
    throw new DicomParseError(
      "PIXEL_DATA_INVALID",
      `${inst.sourceName}: no Pixel Data (7FE0,0010)`,
      {
        sourceName: inst.sourceName,
        transferSyntaxUid: inst.transferSyntax.uid,
        attribute: "PixelData (7FE0,0010)",
      },
    );
  }
  return inst.image;
}

function ctorFor(img: ImagePixelDescription) {
  const signed = img.pixelRepresentation === 1;
  switch (img.bitsAllocated) {
    case 8:
      return signed ? Int8Array : Uint8Array;
    case 16:
      return signed ? Int16Array : Uint16Array;
    default:
      return signed ? Int32Array : Uint32Array;
  }
}

function frameSamples(img: ImagePixelDescription): number {
  return img.rows * img.columns * img.samplesPerPixel;
}

function checkFrameIndex(
  inst: DicomInstance,
  img: ImagePixelDescription,
  frameIndex: number,
): void {
  if (!Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= img.numberOfFrames) {
    throw new DicomParseError(
      "INVALID_ARGUMENT",
      `${inst.sourceName}: frame index ${frameIndex} out of range (NumberOfFrames (0028,0008) = ${img.numberOfFrames})`,
      {
        sourceName: inst.sourceName,
        transferSyntaxUid: inst.transferSyntax.uid,
        attribute: "NumberOfFrames (0028,0008)",
        value: frameIndex,
      },
    );
  }
}

/** Masks/sign-extends values when Bits Stored < Bits Allocated (PS3.5 §8.1.1). In place. */
function normaliseBitsStored(arr: StoredPixelArray, img: ImagePixelDescription): StoredPixelArray {
  if (img.bitsStored >= img.bitsAllocated) return arr;
  const bs = img.bitsStored;
  if (img.pixelRepresentation === 1) {
    const shift = 32 - bs;
    for (let i = 0; i < arr.length; i++) arr[i] = ((arr[i] as number) << shift) >> shift;
  } else {
    const mask = bs >= 32 ? 0xffffffff : (1 << bs) - 1;
    let dirty = false;
    for (let i = 0; i < arr.length; i++)
      if (((arr[i] as number) & ~mask) !== 0) {
        dirty = true;
        break;
      }
    if (!dirty) return arr;
    for (let i = 0; i < arr.length; i++) arr[i] = (arr[i] as number) & mask;
  }
  return arr;
}

function readNativeFrame(
  inst: DicomInstance,
  img: ImagePixelDescription,
  frameIndex: number,
): StoredPixelArray {
  const el = inst.dataSet.elements.x7fe00010;
  const bytesPer = img.bitsAllocated / 8;
  const n = frameSamples(img);
  const frameBytes = n * bytesPer;
  if (el === undefined || el.encapsulatedPixelData) {
    throw new DicomParseError(
      "PIXEL_DATA_INVALID",
      `${inst.sourceName}: native Pixel Data (7FE0,0010) expected for ${inst.transferSyntax.name}`,
      {
        sourceName: inst.sourceName,
        transferSyntaxUid: inst.transferSyntax.uid,
        attribute: "PixelData (7FE0,0010)",
      },
    );
  }
  const start = el.dataOffset + frameIndex * frameBytes;
  const byteArray = inst.dataSet.byteArray;
  if (el.length < (frameIndex + 1) * frameBytes || start + frameBytes > byteArray.length) {
    throw new DicomParseError(
      "PIXEL_DATA_INVALID",
      `${inst.sourceName}: Pixel Data (7FE0,0010) holds ${Math.min(el.length, byteArray.length - el.dataOffset)} bytes, ` +
        `${(frameIndex + 1) * frameBytes} needed for ${img.rows}x${img.columns}x${img.samplesPerPixel} at ${img.bitsAllocated} bits (frame ${frameIndex})`,
      {
        sourceName: inst.sourceName,
        transferSyntaxUid: inst.transferSyntax.uid,
        attribute: "PixelData (7FE0,0010)",
        value: el.length,
      },
    );
  }
  const Ctor = ctorFor(img);
  let out: StoredPixelArray;
  const absolute = byteArray.byteOffset + start;
  if (inst.transferSyntax.bigEndian && bytesPer > 1) {
    const dv = new DataView(byteArray.buffer, absolute, frameBytes);
    out = new Ctor(n);
    if (bytesPer === 2) {
      if (img.pixelRepresentation === 1)
        for (let i = 0; i < n; i++) out[i] = dv.getInt16(i * 2, false);
      else for (let i = 0; i < n; i++) out[i] = dv.getUint16(i * 2, false);
    } else {
      if (img.pixelRepresentation === 1)
        for (let i = 0; i < n; i++) out[i] = dv.getInt32(i * 4, false);
      else for (let i = 0; i < n; i++) out[i] = dv.getUint32(i * 4, false);
    }
    return normaliseBitsStored(out, img);
  }
  if (absolute % bytesPer === 0) {
    out = new Ctor(byteArray.buffer as ArrayBuffer, absolute, n);
    if (img.bitsStored < img.bitsAllocated) out = normaliseBitsStored(out.slice(), img);
    return out;
  }
  // Misaligned (odd offset) 16/32-bit data: copy. Note Buffer#slice is a view, so copy explicitly.
  const copy = new Uint8Array(byteArray.subarray(start, start + frameBytes));
  return normaliseBitsStored(new Ctor(copy.buffer, 0, n), img);
}

/**
 * Decodes one RLE Lossless frame (DICOM PS3.5 Annex G: 64-byte header of segment offsets,
 * PackBits-encoded segments, most significant byte first within each sample).
 *
 * @param encoded - the frame's bytes (all fragments of the frame, concatenated).
 * @param img - the image description (rows, columns, bits allocated, samples per pixel).
 * @param sourceName - used in error messages.
 * @returns the stored pixel values (planar order for multi-sample images).
 * @throws DicomParseError `CODEC_FAILED` when the header or a segment is inconsistent.
 */
export function decodeRleFrame(
  encoded: Uint8Array,
  img: ImagePixelDescription,
  sourceName: string,
): StoredPixelArray {
  const bytesPer = img.bitsAllocated / 8;
  const pixels = img.rows * img.columns;
  const nSeg = bytesPer * img.samplesPerPixel;
  const fail = (why: string): never => {
    throw new DicomParseError(
      "CODEC_FAILED",
      `${sourceName}: RLE Lossless (1.2.840.10008.1.2.5) frame invalid: ${why}`,
      {
        sourceName,
        transferSyntaxUid: "1.2.840.10008.1.2.5",
      },
    );
  };
  if (encoded.length < 64) fail(`only ${encoded.length} bytes, header needs 64`);
  const dv = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const count = dv.getUint32(0, true);
  if (count !== nSeg)
    fail(
      `header lists ${count} segments, ${nSeg} expected for ${img.bitsAllocated}-bit x ${img.samplesPerPixel} samples`,
    );
  const Ctor = ctorFor(img);
  const out = new Ctor(pixels * img.samplesPerPixel);
  const outBytes = new Uint8Array(out.buffer);
  for (let s = 0; s < nSeg; s++) {
    const startOff = dv.getUint32(4 + 4 * s, true);
    const endOff = s + 1 < nSeg ? dv.getUint32(8 + 4 * s, true) : encoded.length;
    if (startOff < 64 || endOff > encoded.length || endOff < startOff)
      fail(`segment ${s} offsets ${startOff}..${endOff} out of range`);
    const sample = Math.floor(s / bytesPer);
    const byteInSample = s % bytesPer; // 0 = most significant
    const leByte = bytesPer - 1 - byteInSample; // position inside a little-endian sample
    let o = sample * pixels * bytesPer + leByte;
    const oEnd = (sample + 1) * pixels * bytesPer;
    let p = startOff;
    while (p < endOff && o < oEnd) {
      const h = encoded[p++] as number;
      if (h < 128) {
        const n = h + 1;
        for (let k = 0; k < n && o < oEnd; k++) {
          outBytes[o] = encoded[p++] as number;
          o += bytesPer;
        }
      } else if (h > 128) {
        const n = 257 - h;
        const v = encoded[p++] as number;
        for (let k = 0; k < n && o < oEnd; k++) {
          outBytes[o] = v;
          o += bytesPer;
        }
      }
    }
    if (o < oEnd) fail(`segment ${s} decoded to fewer than ${pixels} bytes`);
  }
  return normaliseBitsStored(out, img);
}

function encapsulatedFrame(inst: DicomInstance, frameIndex: number): Uint8Array {
  const ds = inst.dataSet;
  const el = ds.elements.x7fe00010;
  if (el === undefined || !el.encapsulatedPixelData) {
    throw new DicomParseError(
      "PIXEL_DATA_INVALID",
      `${inst.sourceName}: encapsulated Pixel Data (7FE0,0010) expected for ${inst.transferSyntax.name}`,
      {
        sourceName: inst.sourceName,
        transferSyntaxUid: inst.transferSyntax.uid,
        attribute: "PixelData (7FE0,0010)",
      },
    );
  }
  try {
    const frames = inst.image?.numberOfFrames ?? 1;
    const fragments = el.fragments ?? [];
    if (frames === 1)
      return dicomParser.readEncapsulatedPixelDataFromFragments(
        ds,
        el,
        0,
        fragments.length,
      ) as Uint8Array;
    if ((el.basicOffsetTable ?? []).length === 0 && fragments.length === frames) {
      return dicomParser.readEncapsulatedPixelDataFromFragments(
        ds,
        el,
        frameIndex,
        1,
      ) as Uint8Array;
    }
    const bot =
      (el.basicOffsetTable ?? []).length > 0
        ? el.basicOffsetTable
        : dicomParser.createJPEGBasicOffsetTable(ds, el);
    return dicomParser.readEncapsulatedImageFrame(ds, el, frameIndex, bot) as Uint8Array;
  } catch (e) {
    throw new DicomParseError(
      "PIXEL_DATA_INVALID",
      `${inst.sourceName}: cannot read encapsulated frame ${frameIndex}: ${e instanceof Error ? e.message : String(e)}`,
      {
        sourceName: inst.sourceName,
        transferSyntaxUid: inst.transferSyntax.uid,
        attribute: "PixelData (7FE0,0010)",
        cause: e,
      },
    );
  }
}

function unsupported(inst: DicomInstance, extra = ""): DicomParseError {
  return new DicomParseError(
    "UNSUPPORTED_TRANSFER_SYNTAX",
    `${inst.sourceName}: transfer syntax ${inst.transferSyntax.uid} (${inst.transferSyntax.name}) is not supported${extra}`,
    {
      sourceName: inst.sourceName,
      transferSyntaxUid: inst.transferSyntax.uid,
      attribute: "TransferSyntaxUID (0002,0010)",
      value: inst.transferSyntax.uid,
    },
  );
}

/**
 * True when {@link readStoredFrameSync} can decode the instance without a codec module
 * (native, deflated or RLE pixel data).
 * @throws never.
 */
export function isSyncDecodable(inst: DicomInstance): boolean {
  const e = inst.transferSyntax.encoding;
  return e === "native" || e === "deflated" || e === "rle";
}

/**
 * Returns the stored values of one frame synchronously, for native (uncompressed, incl.
 * big-endian and deflated) and RLE Lossless pixel data.
 *
 * @param inst - a parsed instance with Pixel Data (7FE0,0010).
 * @param frameIndex - 0-based frame (Number of Frames (0028,0008)).
 * @returns a typed array matching Bits Allocated / Pixel Representation; a view on the file
 *   buffer when possible (do not mutate).
 * @throws DicomParseError `UNSUPPORTED_TRANSFER_SYNTAX` for codec-compressed pixel data (use
 *   {@link decodeFrame}), `PIXEL_DATA_INVALID` for truncated data.
 */
export function readStoredFrameSync(inst: DicomInstance, frameIndex = 0): StoredPixelArray {
  const img = requireImage(inst);
  checkFrameIndex(inst, img, frameIndex);
  switch (inst.transferSyntax.encoding) {
    case "native":
    case "deflated":
      return readNativeFrame(inst, img, frameIndex);
    case "rle":
      return decodeRleFrame(encapsulatedFrame(inst, frameIndex), img, inst.sourceName);
    case "unsupported":
      throw unsupported(inst);
    default:
      throw unsupported(inst, " by the synchronous reader; use the asynchronous decodeFrame()");
  }
}

type CodecName = "charls" | "openjpeg" | "libjpeg-turbo";
const codecCache = new Map<CodecName, Promise<() => CodecDecoder>>();

function loadCodec(name: CodecName): Promise<() => CodecDecoder> {
  let p = codecCache.get(name);
  if (p === undefined) {
    p = (async () => {
      switch (name) {
        case "charls": {
          const m = await (await import("@cornerstonejs/codec-charls")).default();
          return () => new m.JpegLSDecoder();
        }
        case "openjpeg": {
          const m = await (await import("@cornerstonejs/codec-openjpeg")).default();
          return () => new m.J2KDecoder();
        }
        default: {
          const m = await (await import("@cornerstonejs/codec-libjpeg-turbo-8bit")).default();
          return () => new m.JPEGDecoder();
        }
      }
    })();
    codecCache.set(name, p);
  }
  return p;
}

function fromDecodedBytes(bytes: Uint8Array, img: ImagePixelDescription): StoredPixelArray {
  const Ctor = ctorFor(img);
  const n = frameSamples(img);
  const copy = new Uint8Array(bytes.subarray(0, n * Ctor.BYTES_PER_ELEMENT)); // copy out of the codec heap
  return normaliseBitsStored(new Ctor(copy.buffer, 0, n), img);
}

async function decodeWithCodec(
  inst: DicomInstance,
  img: ImagePixelDescription,
  name: CodecName,
  frame: Uint8Array,
): Promise<StoredPixelArray> {
  let make: () => CodecDecoder;
  try {
    make = await loadCodec(name);
  } catch (e) {
    throw new DicomParseError(
      "CODEC_FAILED",
      `${inst.sourceName}: codec ${name} for ${inst.transferSyntax.uid} (${inst.transferSyntax.name}) could not be loaded: ${e instanceof Error ? e.message : String(e)}`,
      {
        sourceName: inst.sourceName,
        transferSyntaxUid: inst.transferSyntax.uid,
        cause: e,
      },
    );
  }
  const dec = make();
  try {
    dec.getEncodedBuffer(frame.length).set(frame);
    dec.decode();
    const info = dec.getFrameInfo();
    if (
      info.width !== img.columns ||
      info.height !== img.rows ||
      info.componentCount !== img.samplesPerPixel
    ) {
      throw new Error(
        `decoded ${info.width}x${info.height}x${info.componentCount}, header says ${img.columns}x${img.rows}x${img.samplesPerPixel}`,
      );
    }
    return fromDecodedBytes(dec.getDecodedBuffer(), img);
  } catch (e) {
    throw new DicomParseError(
      "CODEC_FAILED",
      `${inst.sourceName}: ${inst.transferSyntax.name} (${inst.transferSyntax.uid}) decode failed: ${e instanceof Error ? e.message : String(e)}`,
      {
        sourceName: inst.sourceName,
        transferSyntaxUid: inst.transferSyntax.uid,
        cause: e,
      },
    );
  } finally {
    dec.delete();
  }
}

/**
 * Decodes one frame of any supported transfer syntax: native/deflated/RLE synchronously,
 * JPEG-LS (charls), JPEG 2000 (openjpeg), JPEG Lossless Process 14 (jpeg-lossless-decoder-js)
 * and 8-bit JPEG Baseline (libjpeg-turbo) with lazily loaded codec modules.
 *
 * @param inst - a parsed instance with Pixel Data.
 * @param frameIndex - 0-based frame.
 * @returns stored values as a typed array matching Bits Allocated / Pixel Representation.
 * @throws DicomParseError `UNSUPPORTED_TRANSFER_SYNTAX` naming the file and the transfer syntax
 *   UID and name; `CODEC_FAILED` if a codec cannot load or rejects the stream.
 */
export async function decodeFrame(inst: DicomInstance, frameIndex = 0): Promise<StoredPixelArray> {
  const img = requireImage(inst);
  checkFrameIndex(inst, img, frameIndex);
  switch (inst.transferSyntax.encoding) {
    case "native":
    case "deflated":
    case "rle":
      return readStoredFrameSync(inst, frameIndex);
    case "jpeg-ls":
      return decodeWithCodec(inst, img, "charls", encapsulatedFrame(inst, frameIndex));
    case "jpeg-2000":
      return decodeWithCodec(inst, img, "openjpeg", encapsulatedFrame(inst, frameIndex));
    case "jpeg-baseline":
      if (img.bitsAllocated !== 8)
        throw unsupported(inst, ` with Bits Allocated ${img.bitsAllocated}`);
      return decodeWithCodec(inst, img, "libjpeg-turbo", encapsulatedFrame(inst, frameIndex));
    case "jpeg-lossless": {
      const frame = encapsulatedFrame(inst, frameIndex);
      try {
        const { Decoder } = await import("jpeg-lossless-decoder-js");
        const bytesPer = img.bitsAllocated <= 8 ? 1 : 2;
        const copy = new Uint8Array(frame); // own buffer, offset 0 (frame may be a Buffer view)
        const out = new Decoder().decode(copy.buffer, 0, copy.byteLength, bytesPer);
        return fromDecodedBytes(new Uint8Array(out.buffer, out.byteOffset, out.byteLength), img);
      } catch (e) {
        if (e instanceof DicomParseError) throw e;
        throw new DicomParseError(
          "CODEC_FAILED",
          `${inst.sourceName}: ${inst.transferSyntax.name} (${inst.transferSyntax.uid}) decode failed: ${e instanceof Error ? e.message : String(e)}`,
          {
            sourceName: inst.sourceName,
            transferSyntaxUid: inst.transferSyntax.uid,
            cause: e,
          },
        );
      }
    }
    default:
      throw unsupported(inst);
  }
}
