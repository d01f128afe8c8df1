import { describe, expect, it } from "vitest";
import { readShared } from "../test/shared-data.js";
import { DicomParseError } from "./errors.js";
import { parseDicomPart10 } from "./parse.js";
import { decodeFrame, decodeRleFrame, readStoredFrameSync } from "./pixels.js";
import type { ImagePixelDescription } from "./parse.js";

const ORTHANC = "orthanc-tests-pet-slices";

function caught(f: () => unknown): DicomParseError {
  try {
    f();
  } catch (e) {
    if (e instanceof DicomParseError) return e;
    throw e;
  }
  throw new Error("expected a DicomParseError");
}

describe("parseDicomPart10 on real PET slices (orthanc-tests, see PROVENANCE.md)", () => {
  it("reads the Siemens Explicit VR LE slice: geometry and rescale", () => {
    const inst = parseDicomPart10(
      readShared(ORTHANC, "2020-11-16-SalimKanounAnonymization.dcm"),
      "siemens.dcm",
    );
    expect(inst.transferSyntax.uid).toBe("1.2.840.10008.1.2.1");
    expect(inst.modality).toBe("PT");
    const img = inst.image as ImagePixelDescription;
    expect([img.rows, img.columns, img.bitsAllocated, img.pixelRepresentation]).toEqual([
      200, 200, 16, 0,
    ]);
    expect(img.rescaleSlope).toBeCloseTo(9.1475195822016, 12);
    expect(img.imagePositionPatient).toEqual([-405.624, -587.304, 216]);
    expect(img.pixelSpacingMm?.[0]).toBeCloseTo(4.07283, 9);
    const px = readStoredFrameSync(inst);
    expect(px).toBeInstanceOf(Uint16Array);
    expect(px.length).toBe(40000);
  });

  it("reads the Philips Implicit VR LE slice with signed pixels", () => {
    const inst = parseDicomPart10(readShared(ORTHANC, "Issue94.dcm"), "Issue94.dcm");
    expect(inst.transferSyntax.name).toBe("Implicit VR Little Endian");
    expect(inst.image?.pixelRepresentation).toBe(1);
    expect(readStoredFrameSync(inst)).toBeInstanceOf(Int16Array);
  });

  it("JPEG-LS slice: the sync reader refuses, naming file, UID and transfer syntax name", () => {
    const inst = parseDicomPart10(
      readShared(ORTHANC, "2021-02-19-MalaterreCP246.dcm"),
      "cp246.dcm",
    );
    const err = caught(() => readStoredFrameSync(inst));
    expect(err.code).toBe("UNSUPPORTED_TRANSFER_SYNTAX");
    expect(err.sourceName).toBe("cp246.dcm");
    expect(err.transferSyntaxUid).toBe("1.2.840.10008.1.2.4.80");
    expect(err.message).toContain("cp246.dcm");
    expect(err.message).toContain("1.2.840.10008.1.2.4.80");
    expect(err.message).toContain("JPEG-LS Lossless");
  });

  it("JPEG-LS slice decodes asynchronously with charls within the 14-bit range", async () => {
    const inst = parseDicomPart10(
      readShared(ORTHANC, "2021-02-19-MalaterreCP246.dcm"),
      "cp246.dcm",
    );
    expect(inst.image?.bitsStored).toBe(14);
    const px = await decodeFrame(inst);
    expect(px.length).toBe(128 * 128);
    let max = 0;
    let nonZero = 0;
    for (const v of px) {
      if (v > max) max = v;
      if (v > 0) nonZero++;
    }
    expect(max).toBeLessThan(2 ** 14);
    expect(max).toBeGreaterThan(1000);
    expect(nonZero).toBeGreaterThan(1000);
  });

  it("rejects a non-DICOM buffer naming the source", () => {
    const err = caught(() => parseDicomPart10(new Uint8Array(300), "notes.txt"));
    expect(err.code).toBe("NOT_DICOM");
    expect(err.message).toContain("notes.txt");
  });

  it("rejects a truncated file naming the source", () => {
    const full = readShared(ORTHANC, "2020-11-16-SalimKanounAnonymization.dcm");
    const err = caught(() => parseDicomPart10(full.slice(0, 1200), "cut.dcm"));
    expect(["PARSE_FAILED", "INVALID_ATTRIBUTE"]).toContain(err.code);
    expect(err.message).toContain("cut.dcm");
  });
});

describe("decodeRleFrame (PS3.5 Annex G), hand-built streams", () => {
  const img = (bits: number, rows: number, cols: number): ImagePixelDescription => ({
    rows,
    columns: cols,
    bitsAllocated: bits,
    bitsStored: bits,
    pixelRepresentation: 0,
    samplesPerPixel: 1,
    photometricInterpretation: "MONOCHROME2",
    numberOfFrames: 1,
    rescaleSlope: 1,
    rescaleIntercept: 0,
    imagePositionPatient: undefined,
    imageOrientationPatient: undefined,
    pixelSpacingMm: undefined,
    sliceThicknessMm: undefined,
    spacingBetweenSlicesMm: undefined,
    instanceNumber: undefined,
  });
  const header = (offsets: number[]): number[] => {
    const h = new Array<number>(64).fill(0);
    const put = (i: number, v: number): void => {
      h[i] = v & 0xff;
      h[i + 1] = (v >>> 8) & 0xff;
      h[i + 2] = (v >>> 16) & 0xff;
      h[i + 3] = (v >>> 24) & 0xff;
    };
    put(0, offsets.length);
    offsets.forEach((o, k) => put(4 + 4 * k, o));
    return h;
  };

  it("8-bit: literal run then replicate run", () => {
    // literal n=3 → 4 bytes; replicate 0xFD (−3) → 4 copies of 7
    const bytes = Uint8Array.from([...header([64]), 0x03, 10, 20, 30, 40, 0xfd, 7]);
    expect(Array.from(decodeRleFrame(bytes, img(8, 2, 4), "rle8"))).toEqual([
      10, 20, 30, 40, 7, 7, 7, 7,
    ]);
  });

  it("16-bit: most significant byte segment first", () => {
    // values 0x0102, 0x0304 → MSB segment [1,3], LSB segment [2,4]
    const seg1 = [0x01, 1, 3];
    const seg2 = [0x01, 2, 4];
    const bytes = Uint8Array.from([...header([64, 64 + seg1.length]), ...seg1, ...seg2]);
    expect(Array.from(decodeRleFrame(bytes, img(16, 1, 2), "rle16"))).toEqual([0x0102, 0x0304]);
  });

  it("rejects a wrong segment count, naming the source", () => {
    const bytes = Uint8Array.from([...header([64]), 0x01, 1, 3]);
    expect(() => decodeRleFrame(bytes, img(16, 1, 2), "bad-rle.dcm")).toThrow(
      /bad-rle\.dcm.*1 segments, 2 expected/,
    );
  });
});

describe("pixel data at an odd byte offset", () => {
  it("copies instead of creating a misaligned 16-bit view, from a Uint8Array or a Node Buffer", () => {
    const file = readShared(ORTHANC, "2020-11-16-SalimKanounAnonymization.dcm");
    const aligned = readStoredFrameSync(parseDicomPart10(file, "aligned.dcm"));
    const holder = new Uint8Array(file.length + 1);
    holder.set(file, 1);
    const shifted = readStoredFrameSync(parseDicomPart10(holder.subarray(1), "odd.dcm"));
    expect(Array.from(shifted)).toEqual(Array.from(aligned));
    const buf = Buffer.from(holder.buffer, 1, file.length);
    expect(Array.from(readStoredFrameSync(parseDicomPart10(buf, "odd-buffer.dcm")))).toEqual(
      Array.from(aligned),
    );
  });
});
