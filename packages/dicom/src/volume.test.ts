import { readdirSync, readFileSync } from "node:fs";
import dcmjs from "dcmjs";
import { describe, expect, it } from "vitest";
import { sharedPath } from "../test/shared-data.js";
import { DicomParseError } from "./errors.js";
import { parseDicomPart10, type DicomInstance } from "./parse.js";
import { decodeFrame, readStoredFrameSync } from "./pixels.js";
import { generateWholeBodyPet } from "./synthetic/whole-body-pet.js";
import { writePetSeries } from "./synthetic/pet-series-writer.js";
import type { DicomElementSpec } from "./synthetic/encoder.js";
import {
  assembleVolume,
  groupBySeries,
  readSeries,
  voxelToPatientMm,
  type NamedBytes,
} from "./volume.js";

const NEMA_DIR = sharedPath("pynemaiqpet-nema-pet", "pet_recon_1");
const nemaFiles = (): NamedBytes[] =>
  readdirSync(NEMA_DIR)
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(`${NEMA_DIR}/${name}`)) }));

/** Independent reader: dcmjs naturalised data set → rescaled value at (i, j) of one file. */
function dcmjsValue(name: string, i: number, j: number): { value: number; z: number } {
  const buf = readFileSync(`${NEMA_DIR}/${name}`);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const nat = dcmjs.data.DicomMetaDictionary.naturalizeDataset(
    dcmjs.data.DicomMessage.readFile(ab).dict,
  );
  const cols = nat.Columns as number;
  const pixel = (nat.PixelData as ArrayBuffer[])[0] as ArrayBuffer;
  const stored = new Uint16Array(pixel)[j * cols + i] as number;
  const slope = Number(nat.RescaleSlope);
  const intercept = Number(nat.RescaleIntercept ?? 0);
  const ipp = nat.ImagePositionPatient as number[];
  return { value: stored * slope + intercept, z: Number(ipp[2]) };
}

describe("NEMA IQ phantom series (pynemaiqpet pet_recon_1, see PROVENANCE.md)", () => {
  it("assembles 192x192x89 with the documented spacing, origin and direction", async () => {
    const vol = await readSeries(nemaFiles());
    expect(vol.geometry.dims).toEqual([192, 192, 89]);
    expect(vol.geometry.spacingMm[0]).toBeCloseTo(2.0833332538605, 9);
    expect(vol.geometry.spacingMm[1]).toBeCloseTo(2.0833332538605, 9);
    expect(vol.geometry.spacingMm[2]).toBeCloseTo(2.78, 6);
    // lowest slice along the normal (0,0,1); z range of the files is ±122.32 mm
    expect(vol.geometry.originMm[0]).toBeCloseTo(-198.95832824707, 9);
    expect(vol.geometry.originMm[1]).toBeCloseTo(-198.95832824707, 9);
    expect(vol.geometry.originMm[2]).toBeCloseTo(-122.31999969482, 6);
    expect(vol.geometry.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const top = voxelToPatientMm(vol.geometry, 0, 0, 88);
    expect(top[2]).toBeCloseTo(122.319999694824, 4);
    expect(vol.slices.every((s) => Math.abs(s.rescaleSlope - 0.5817961222247654) < 1e-12)).toBe(
      true,
    );
    expect(vol.findings.map((f) => f.code)).toContain("MONOCHROME1");
  });

  it("voxel values equal stored × slope computed independently with dcmjs", async () => {
    const files = nemaFiles();
    const vol = await readSeries(files);
    const [nx, ny] = vol.geometry.dims;
    const probes: [number, number, number][] = [
      [96, 96, 44],
      [60, 110, 30],
      [130, 70, 50],
      [10, 10, 0],
      [191, 191, 88],
    ];
    let nonZero = 0;
    for (const [i, j, k] of probes) {
      const slice = vol.slices[k];
      expect(slice).toBeDefined();
      const ref = dcmjsValue(slice?.sourceName ?? "", i, j);
      expect(ref.z).toBeCloseTo(vol.geometry.originMm[2] + k * vol.geometry.spacingMm[2], 3);
      const got = vol.data[i + nx * (j + ny * k)] as number;
      expect(Math.abs(got - ref.value)).toBeLessThanOrEqual(1e-3 + 1e-6 * Math.abs(ref.value));
      if (ref.value > 0) nonZero++;
    }
    expect(nonZero).toBeGreaterThanOrEqual(3);
  });

  it("ignores input order (sorted by position along the normal, not by file name)", async () => {
    const files = nemaFiles();
    const shuffled = [...files].reverse();
    const a = await readSeries(files);
    const b = await readSeries(shuffled);
    expect(b.slices.map((s) => s.sourceName)).toEqual(a.slices.map((s) => s.sourceName));
    expect(b.data.length).toBe(a.data.length);
    let diff = 0;
    for (let n = 0; n < a.data.length; n += 997)
      diff = Math.max(diff, Math.abs((a.data[n] as number) - (b.data[n] as number)));
    expect(diff).toBe(0);
  });

  it("reports progress monotonically up to 1", async () => {
    const seen: number[] = [];
    await readSeries(nemaFiles(), { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.at(-1)).toBeCloseTo(1, 12);
    expect(seen.every((v, n) => n === 0 || v >= (seen[n - 1] as number))).toBe(true);
  });

  it("refuses two series without a selection and accepts an explicit one", async () => {
    const other = sharedPath("pynemaiqpet-nema-pet", "pet_recon_2");
    const two = [
      ...nemaFiles(),
      ...readdirSync(other)
        .slice(0, 5)
        .map((name) => ({ name, bytes: new Uint8Array(readFileSync(`${other}/${name}`)) })),
    ];
    await expect(readSeries(two)).rejects.toThrow(/2 series/);
    const first = nemaFiles()[0] as NamedBytes;
    const uid = parseDicomPart10(first.bytes, first.name).seriesInstanceUid as string;
    const vol = await readSeries(two, { seriesInstanceUid: uid });
    expect(vol.geometry.dims[2]).toBe(89);
  });
});

describe("assembleVolume geometry checks on synthetic series", () => {
  const small = generateWholeBodyPet({
    nx: 16,
    ny: 12,
    nz: 10,
    lesions: 0,
    seed: 3,
    spacingMm: [3, 3, 4],
  });
  const parseAll = (files: NamedBytes[]): DicomInstance[] =>
    files.map((f) => parseDicomPart10(f.bytes, f.name));
  const setDs = (els: DicomElementSpec[], tag: number, value: string): DicomElementSpec[] =>
    els.map((e) => (e.tag === tag ? { ...e, value: { kind: "str", value } } : e));
  const err = (f: () => unknown): DicomParseError => {
    try {
      f();
    } catch (e) {
      if (e instanceof DicomParseError) return e;
      throw e;
    }
    throw new Error("expected DicomParseError");
  };

  it("a missing slice is a SLICE_GAP error naming both neighbours, or a finding with onIrregularSpacing 'warn'", () => {
    const files = writePetSeries(small.data, small.geometry, small.metadata).filter(
      (_f, k) => k !== 4,
    );
    const e = err(() => assembleVolume(parseAll(files)));
    expect(e.code).toBe("INCONSISTENT_SERIES");
    expect(e.message).toMatch(/slice-0004\.dcm and slice-0006\.dcm/);
    expect(e.message).toMatch(/1 slice\(s\) missing/);
    const vol = assembleVolume(parseAll(files), { onIrregularSpacing: "warn" });
    expect(vol.findings.map((f) => f.code)).toContain("SLICE_GAP");
    expect(vol.geometry.spacingMm[2]).toBeCloseTo(36 / 8, 9);
  });

  it("non-uniform spacing is reported with the offending value", () => {
    const files = writePetSeries(small.data, small.geometry, small.metadata, {
      mutateSlice: (els, k) =>
        k === 9
          ? setDs(
              els,
              0x00200032,
              `${small.geometry.originMm[0]}\\${small.geometry.originMm[1]}\\${small.geometry.originMm[2] + 8 * 4 + 5.5}`,
            )
          : els,
    });
    const e = err(() => assembleVolume(parseAll(files)));
    expect(e.message).toMatch(
      /slice spacing 5\.500 mm between slice-0009\.dcm and slice-0010\.dcm/,
    );
  });

  it("inconsistent orientation names the file and both values", () => {
    const files = writePetSeries(small.data, small.geometry, small.metadata, {
      mutateSlice: (els, k) => (k === 2 ? setDs(els, 0x00200037, "0\\1\\0\\1\\0\\0") : els),
    });
    const e = err(() => assembleVolume(parseAll(files)));
    expect(e.attribute).toBe("ImageOrientationPatient (0020,0037)");
    expect(e.message).toContain("slice-0003.dcm");
    expect(e.message).toContain("0\\1\\0\\1\\0\\0");
  });

  it("missing Pixel Spacing and malformed Image Position are errors naming file and attribute", () => {
    const noSpacing = writePetSeries(small.data, small.geometry, small.metadata, {
      mutateSlice: (els) => els.filter((e) => e.tag !== 0x00280030),
    });
    const e1 = err(() => assembleVolume(parseAll(noSpacing)));
    expect(e1.code).toBe("MISSING_ATTRIBUTE");
    expect(e1.message).toMatch(/slice-0001\.dcm: Pixel Spacing \(0028,0030\) is missing/);
    const badIpp = writePetSeries(small.data, small.geometry, small.metadata, {
      mutateSlice: (els, k) => (k === 1 ? setDs(els, 0x00200032, "1\\2") : els),
    });
    const e2 = err(() => parseAll(badIpp));
    expect(e2.message).toBe(
      'slice-0002.dcm: ImagePositionPatient (0020,0032) must hold 3 decimal values, found "1\\2"',
    );
  });

  it("duplicate positions (e.g. two time frames) are refused", () => {
    const files = writePetSeries(small.data, small.geometry, small.metadata);
    const dup = { ...(files[3] as NamedBytes), name: "copy.dcm" };
    const e = err(() => assembleVolume(parseAll([...files, dup])));
    expect(e.message).toMatch(/same slice position/);
  });

  it("groupBySeries separates series and assembleVolume refuses a mix", () => {
    const a = parseAll(writePetSeries(small.data, small.geometry, small.metadata));
    const b = parseAll(
      writePetSeries(small.data, small.geometry, { ...small.metadata, uidKey: "other" }),
    );
    const groups = groupBySeries([...a, ...b]);
    expect(groups.size).toBe(2);
    expect(err(() => assembleVolume([...a, ...b])).code).toBe("MULTIPLE_SERIES");
    expect(err(() => assembleVolume([])).code).toBe("EMPTY_SERIES");
  });

  it("MONOCHROME1 inversion maps stored s to (2^bits − 1 − s) when requested", () => {
    const files = writePetSeries(small.data, small.geometry, small.metadata, {
      mutateSlice: (els) => setDs(els, 0x00280004, "MONOCHROME1"),
    });
    const inst = parseAll(files);
    const keep = assembleVolume(inst);
    const inv = assembleVolume(inst, { monochrome1: "invert" });
    const slope = keep.slices[0]?.rescaleSlope ?? NaN;
    for (const n of [0, 50, 100, 191]) {
      expect(inv.data[n]).toBeCloseTo(65535 * slope - (keep.data[n] as number), 2);
    }
  });

  it("oblique orientation: the normal is row x column and positions project onto it", () => {
    const c = Math.SQRT1_2;
    const geometry = { ...small.geometry, direction: [1, 0, 0, 0, c, -c, 0, c, c] };
    const vol = assembleVolume(
      parseAll(writePetSeries(small.data, geometry, small.metadata).reverse()),
    );
    expect(vol.geometry.direction.slice(6)).toEqual([
      0,
      expect.closeTo(c, 9),
      expect.closeTo(c, 9),
    ]);
    expect(vol.geometry.spacingMm[2]).toBeCloseTo(4, 6);
    expect(vol.slices[0]?.sourceName).toBe("slice-0001.dcm");
  });
});

describe("readSeries file handling", () => {
  it("skips unreadable files when asked and reports them; throws by default naming the file", async () => {
    const files = [
      ...nemaFiles().slice(0, 3),
      { name: "README.txt", bytes: new TextEncoder().encode("not dicom") },
    ];
    await expect(readSeries(files)).rejects.toThrow(/README\.txt: not a DICOM Part 10 file/);
    const vol = await readSeries(files, { onUnreadableFile: "skip", onIrregularSpacing: "warn" }); // 3 arbitrary slices: not contiguous
    expect(vol.geometry.dims[2]).toBe(3);
    expect(vol.findings.find((f) => f.code === "FILE_SKIPPED")?.value).toBe("README.txt");
  });
});

describe("single real slices as one-slice volumes", () => {
  const read = (file: string) =>
    readSeries([
      {
        name: file,
        bytes: new Uint8Array(readFileSync(sharedPath("orthanc-tests-pet-slices", file))),
      },
    ]);

  it("CP246 JPEG-LS slice: 128x128x1, slice thickness as z spacing, values = decoded × slope 1.9413152", async () => {
    const vol = await read("2021-02-19-MalaterreCP246.dcm");
    expect(vol.geometry.dims).toEqual([128, 128, 1]);
    expect(vol.geometry.spacingMm[0]).toBeCloseTo(5.1484092, 7);
    expect(vol.geometry.spacingMm[2]).toBeCloseTo(3.3750001, 7);
    expect(vol.geometry.originMm).toEqual([-334.2237, -460.47275, -775.964]);
    const inst = vol.instances[0];
    if (inst === undefined) throw new Error("no instance");
    const stored = await decodeFrame(inst);
    let worst = 0;
    for (let n = 0; n < stored.length; n += 37)
      worst = Math.max(
        worst,
        Math.abs((vol.data[n] as number) - (stored[n] as number) * 1.9413152),
      );
    expect(worst).toBeLessThan(1e-3);
  });

  it("Issue94 implicit-VR slice with Pixel Representation 1: read as Int16 and rescaled per slice", async () => {
    const vol = await read("Issue94.dcm");
    expect(vol.geometry.dims).toEqual([169, 169, 1]);
    const inst = vol.instances[0];
    if (inst === undefined) throw new Error("no instance");
    const stored = readStoredFrameSync(inst);
    expect(stored).toBeInstanceOf(Int16Array);
    for (const n of [0, 5000, 14280, 28560])
      expect(vol.data[n]).toBeCloseTo((stored[n] as number) * 10.876161, 2);
  });
});
