import { describe, expect, it } from "vitest";
import { DicomParseError } from "./errors.js";
import { parseDicomPart10 } from "./parse.js";
import { readStoredFrameSync } from "./pixels.js";
import { encodePart10, type DicomElementSpec } from "./synthetic/encoder.js";
import { TransferSyntaxUids } from "./transfer-syntax.js";
import { assembleVolume } from "./volume.js";

const str = (tag: number, vr: string, value: string): DicomElementSpec => ({
  tag,
  vr,
  value: { kind: "str", value },
});
const us = (tag: number, value: number): DicomElementSpec => ({
  tag,
  vr: "US",
  value: { kind: "u16", value: [value] },
});

/** NM (SPECT) reconstructed multi-frame object, PS3.3 C.8.4.15: 3 frames of 4x2, frame f holds 100·f + pixel index. */
function nmMultiFrame(extra: DicomElementSpec[] = [], drop: number[] = []): Uint8Array {
  const px = new Uint16Array(3 * 8);
  for (let f = 0; f < 3; f++) for (let i = 0; i < 8; i++) px[f * 8 + i] = 100 * f + i;
  const all: DicomElementSpec[] = [
    str(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.20"),
    str(0x00080018, "UI", "2.25.77"),
    str(0x00080060, "CS", "NM"),
    str(0x0020000e, "UI", "2.25.78"),
    str(0x00180088, "DS", "4.5"),
    str(0x00280008, "IS", "3"),
    us(0x00280002, 1),
    str(0x00280004, "CS", "MONOCHROME2"),
    us(0x00280010, 2),
    us(0x00280011, 4),
    str(0x00280030, "DS", "4.5\\4.5"),
    us(0x00280100, 16),
    us(0x00280101, 16),
    us(0x00280103, 0),
    str(0x00281053, "DS", "0.5"),
    {
      tag: 0x00540022,
      vr: "SQ",
      value: {
        kind: "seq",
        items: [
          [str(0x00200032, "DS", "-9\\-4.5\\100"), str(0x00200037, "DS", "1\\0\\0\\0\\1\\0")],
        ],
      },
    },
    { tag: 0x7fe00010, vr: "OW", value: { kind: "words", value: px } },
    ...extra,
  ];
  const els = all.filter((e) => !drop.includes(e.tag));
  return encodePart10(
    els,
    "1.2.840.10008.5.1.4.1.1.20",
    "2.25.77",
    TransferSyntaxUids.explicitVrLittleEndian,
  );
}

describe("multi-frame NM (SPECT) volumes", () => {
  it("frames become slices along the normal with Spacing Between Slices; geometry from the Detector Information Sequence", () => {
    const vol = assembleVolume([parseDicomPart10(nmMultiFrame(), "spect.dcm")]);
    expect(vol.geometry.dims).toEqual([4, 2, 3]);
    expect(vol.geometry.spacingMm).toEqual([4.5, 4.5, 4.5]);
    expect(vol.geometry.originMm).toEqual([-9, -4.5, 100]);
    expect(vol.slices.map((s) => s.frameIndex)).toEqual([0, 1, 2]);
    expect(vol.slices[2]?.positionMm[2]).toBeCloseTo(109, 9);
    // voxel (i=3, j=1, k=2): stored 100·2 + 7 = 207, slope 0.5
    expect(vol.data[3 + 4 * (1 + 2 * 2)]).toBeCloseTo(103.5, 9);
  });

  it("refuses a multi-frame object without slice spacing, naming the file and attribute", () => {
    const inst = parseDicomPart10(nmMultiFrame([], [0x00180088]), "nospacing.dcm");
    expect(() => assembleVolume([inst])).toThrow(
      /nospacing\.dcm: multi-frame image needs a positive Spacing Between Slices \(0018,0088\)/,
    );
  });

  it("rejects an out-of-range frame index", () => {
    const inst = parseDicomPart10(nmMultiFrame(), "spect.dcm");
    expect(() => readStoredFrameSync(inst, 3)).toThrow(
      /spect\.dcm: frame index 3 out of range \(NumberOfFrames \(0028,0008\) = 3\)/,
    );
  });
});

describe("Bits Stored < Bits Allocated (PS3.5 §8.1.1)", () => {
  const image = (bitsStored: number, pr: number, values: number[]): Uint8Array =>
    encodePart10(
      [
        str(0x00080060, "CS", "PT"),
        us(0x00280010, 1),
        us(0x00280011, values.length),
        us(0x00280100, 16),
        us(0x00280101, bitsStored),
        us(0x00280103, pr),
        { tag: 0x7fe00010, vr: "OW", value: { kind: "words", value: Uint16Array.from(values) } },
      ],
      "1.2.840.10008.5.1.4.1.1.128",
      "2.25.9",
      TransferSyntaxUids.explicitVrLittleEndian,
    );

  it("unsigned: bits above Bits Stored (e.g. overlay bits) are masked off", () => {
    const px = readStoredFrameSync(parseDicomPart10(image(12, 0, [0x0fff, 0xf001, 0x1234]), "u12"));
    expect(Array.from(px)).toEqual([0x0fff, 0x0001, 0x0234]);
  });

  it("signed: 12-bit two's complement is sign-extended", () => {
    const px = readStoredFrameSync(parseDicomPart10(image(12, 1, [0x0fff, 0x0800, 0x07ff]), "s12"));
    expect(Array.from(px)).toEqual([-1, -2048, 2047]);
  });

  it("Bits Stored larger than Bits Allocated is an INVALID_ATTRIBUTE error naming the value", () => {
    let err: unknown;
    try {
      parseDicomPart10(image(17, 0, [1]), "bad-bits.dcm");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DicomParseError);
    expect((err as DicomParseError).message).toBe(
      "bad-bits.dcm: BitsStored (0028,0101) must be 1..BitsAllocated (value: 17)",
    );
  });
});

describe("8- and 32-bit stored values, signed and unsigned", () => {
  const file = (bits: 8 | 32, pr: 0 | 1, raw: Uint8Array, n: number): Uint8Array =>
    encodePart10(
      [
        str(0x00080060, "CS", "PT"),
        us(0x00280010, 1),
        us(0x00280011, n),
        us(0x00280100, bits),
        us(0x00280101, bits),
        us(0x00280103, pr),
        str(0x00281053, "DS", "2"),
        str(0x00200032, "DS", "0\\0\\0"),
        str(0x00200037, "DS", "1\\0\\0\\0\\1\\0"),
        str(0x00280030, "DS", "1\\1"),
        { tag: 0x7fe00010, vr: bits === 8 ? "OB" : "OW", value: { kind: "bytes", value: raw } },
      ],
      "1.2.840.10008.5.1.4.1.1.128",
      "2.25.10",
      TransferSyntaxUids.explicitVrLittleEndian,
    );

  it("8-bit signed values are read as Int8 and rescaled", () => {
    const vol = assembleVolume([
      parseDicomPart10(file(8, 1, Uint8Array.from([0x00, 0x7f, 0x80, 0xff]), 4), "s8"),
    ]);
    expect(Array.from(vol.data)).toEqual([0, 254, -256, -2]);
  });

  it("32-bit unsigned and signed values keep their full range", () => {
    const u = new Uint32Array([0, 4_000_000_000]);
    const volU = assembleVolume([
      parseDicomPart10(file(32, 0, new Uint8Array(u.buffer), 2), "u32"),
    ]);
    expect(volU.data[1]).toBeCloseTo(8e9, -3);
    const s = new Int32Array([-2_000_000_000, 5]);
    const volS = assembleVolume([
      parseDicomPart10(file(32, 1, new Uint8Array(s.buffer), 2), "s32"),
    ]);
    expect(Array.from(volS.data)).toEqual([-4e9, 10]);
  });
});
