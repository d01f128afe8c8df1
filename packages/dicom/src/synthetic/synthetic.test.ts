import { describe, expect, it } from "vitest";
import { DicomParseError } from "../errors.js";
import { parseDicomPart10 } from "../parse.js";
import { decodeFrame } from "../pixels.js";
import { extractPetMetadata } from "../pet-metadata.js";
import { frameAverageTimeS, runPetQa } from "../qa.js";
import { TransferSyntaxUids } from "../transfer-syntax.js";
import { assembleVolume, readSeries, type Volume } from "../volume.js";
import { encodePart10, type DicomElementSpec } from "./encoder.js";
import { formatDs, writePetSeries } from "./pet-series-writer.js";
import { generateWholeBodyPet, type SyntheticWholeBodyPet } from "./whole-body-pet.js";
import {
  SYNTHETIC_CT_HU,
  SYNTHETIC_CT_RESCALE_INTERCEPT,
  generateCtForPet,
  writeCtSeries,
} from "./ct-series.js";
import {
  LU177_HALF_LIFE_S,
  generateWholeBodySpect,
  writeSpectSeries,
} from "./quantitative-spect.js";

/** Max |read − written| per slice must stay ≤ slope/2 (+ float32 rounding). */
function expectRoundTrip(src: SyntheticWholeBodyPet, vol: Volume): void {
  const [nx, ny, nz] = src.geometry.dims;
  expect(vol.geometry.dims).toEqual([nx, ny, nz]);
  for (let a = 0; a < 3; a++) {
    expect(vol.geometry.spacingMm[a]).toBeCloseTo(src.geometry.spacingMm[a] as number, 9);
    expect(vol.geometry.originMm[a]).toBeCloseTo(src.geometry.originMm[a] as number, 6);
  }
  const slice = nx * ny;
  for (let k = 0; k < nz; k++) {
    const slope = vol.slices[k]?.rescaleSlope ?? NaN;
    let worst = 0;
    for (let i = k * slice; i < (k + 1) * slice; i++)
      worst = Math.max(
        worst,
        Math.abs((vol.data[i] as number) - (src.data[i] as number)) -
          1e-6 * Math.abs(src.data[i] as number),
      );
    expect(worst).toBeLessThanOrEqual(slope / 2 + 1e-9);
  }
}

describe("generateWholeBodyPet", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = generateWholeBodyPet({ nx: 64, ny: 64, nz: 80, lesions: 10, seed: 7 });
    const b = generateWholeBodyPet({ nx: 64, ny: 64, nz: 80, lesions: 10, seed: 7 });
    const c = generateWholeBodyPet({ nx: 64, ny: 64, nz: 80, lesions: 10, seed: 8 });
    expect(b.lesions).toEqual(a.lesions);
    expect(Buffer.from(b.data.buffer).equals(Buffer.from(a.data.buffer))).toBe(true);
    expect(Buffer.from(c.data.buffer).equals(Buffer.from(a.data.buffer))).toBe(false);
  });

  it("default size: 192x192x400, 40 non-overlapping lesions of 4–20 mm and SUV 4–40", () => {
    const p = generateWholeBodyPet({ seed: 42 });
    expect(p.geometry.dims).toEqual([192, 192, 400]);
    expect(p.lesions.length).toBe(40);
    for (const l of p.lesions) {
      expect(l.radiusMm).toBeGreaterThanOrEqual(4);
      expect(l.radiusMm).toBeLessThanOrEqual(20);
      expect(l.suv).toBeGreaterThanOrEqual(4);
      expect(l.suv).toBeLessThanOrEqual(40);
    }
    for (let i = 0; i < p.lesions.length; i++)
      for (let j = i + 1; j < p.lesions.length; j++) {
        const a = p.lesions[i];
        const b = p.lesions[j];
        if (a === undefined || b === undefined) continue;
        expect(
          Math.hypot(
            a.centreMm[0] - b.centreMm[0],
            a.centreMm[1] - b.centreMm[1],
            a.centreMm[2] - b.centreMm[2],
          ),
        ).toBeGreaterThan(a.radiusMm + b.radiusMm);
      }
  });

  it("lesion centre voxels hold SUV × dose·decay/weight (Bq/mL)", () => {
    const p = generateWholeBodyPet({
      nx: 96,
      ny: 96,
      nz: 200,
      lesions: 12,
      seed: 5,
      spacingMm: [700 / 96, 700 / 96, 8],
    });
    // 68Ga, 150 MBq, 60 min uptake, 75 kg
    expect(p.bqPerMlPerSuv).toBeCloseTo((150e6 * Math.pow(2, -3600 / 4062.6)) / 75000, 9);
    const [nx, ny] = p.geometry.dims;
    const [sx, sy, sz] = p.geometry.spacingMm;
    let checked = 0;
    for (const l of p.lesions) {
      const i = Math.round((l.centreMm[0] - p.geometry.originMm[0]) / sx);
      const j = Math.round((l.centreMm[1] - p.geometry.originMm[1]) / sy);
      const k = Math.round((l.centreMm[2] - p.geometry.originMm[2]) / sz);
      const centreDist = Math.hypot(
        p.geometry.originMm[0] + i * sx - l.centreMm[0],
        p.geometry.originMm[1] + j * sy - l.centreMm[1],
        p.geometry.originMm[2] + k * sz - l.centreMm[2],
      );
      if (centreDist > l.radiusMm) continue; // sphere smaller than the nearest voxel centre offset
      expect(p.data[i + nx * (j + ny * k)]).toBeCloseTo(l.concentrationBqPerMl, 1);
      checked++;
    }
    expect(checked).toBeGreaterThan(6);
  });

  it("rejects bad sizes", () => {
    expect(() => generateWholeBodyPet({ nx: 0 })).toThrow(
      /dims must be positive integers, got 0x192x400/,
    );
  });
});

describe("writePetSeries → read back", () => {
  const src = generateWholeBodyPet({
    nx: 64,
    ny: 48,
    nz: 30,
    lesions: 6,
    seed: 11,
    spacingMm: [4, 4, 5],
    noiseFraction: 0.1,
  });

  it.each([
    ["Explicit VR LE", TransferSyntaxUids.explicitVrLittleEndian],
    ["Implicit VR LE", TransferSyntaxUids.implicitVrLittleEndian],
    ["Explicit VR BE", TransferSyntaxUids.explicitVrBigEndian],
    ["Deflated Explicit VR LE", TransferSyntaxUids.deflatedExplicitVrLittleEndian],
    ["RLE Lossless", TransferSyntaxUids.rleLossless],
  ])("%s: values within half a quantisation step, geometry exact", async (_label, ts) => {
    const files = writePetSeries(src.data, src.geometry, src.metadata, { transferSyntaxUid: ts });
    const vol = await readSeries([...files].reverse());
    expect(
      parseDicomPart10((files[0] as { bytes: Uint8Array }).bytes, "x").transferSyntax.uid,
    ).toBe(ts);
    expectRoundTrip(src, vol);
  });

  it("signed path: negative values round-trip with Pixel Representation 1", async () => {
    const neg = { ...src, data: src.data.map((v, i) => (i % 7 === 0 ? -v : v)) };
    const files = writePetSeries(neg.data, neg.geometry, neg.metadata);
    expect(
      parseDicomPart10((files[0] as { bytes: Uint8Array }).bytes, "x").image?.pixelRepresentation,
    ).toBe(1);
    expectRoundTrip(neg, await readSeries(files));
  });

  it("writes a header the PET QA gate accepts, and SUV is recoverable from it", () => {
    const files = writePetSeries(src.data, src.geometry, src.metadata);
    const inst = files.map((f) => parseDicomPart10(f.bytes, f.name));
    const qa = runPetQa(inst);
    expect(qa.findings).toEqual([]);
    expect(qa.decayTimeS).toBeCloseTo(3600, 9);
    expect(qa.nuclide?.nuclide).toBe("68Ga");
    const first = inst[0];
    if (first === undefined) throw new Error("no instance");
    const m = extractPetMetadata(first);
    expect(m.Units).toBe("BQML");
    expect(m.CorrectedImage).toEqual(["ATTN", "DECY"]);
    const vol = assembleVolume(inst);
    const lesion = src.lesions[0];
    if (lesion === undefined) throw new Error("phantom has no lesion");
    // SUVbw = C · W[g] / (A · 2^(−Δt/T½)) (suv.md §1, §2.2)
    const factor =
      ((m.PatientWeight as number) * 1000) /
      ((m.RadionuclideTotalDose as number) *
        Math.pow(2, -(qa.decayTimeS as number) / (m.RadionuclideHalfLife as number)));
    const [nx, ny] = vol.geometry.dims;
    const [sx, sy, sz] = vol.geometry.spacingMm;
    const c = lesion.centreMm;
    const i = Math.round((c[0] - vol.geometry.originMm[0]) / sx);
    const j = Math.round((c[1] - vol.geometry.originMm[1]) / sy);
    const k = Math.round((c[2] - vol.geometry.originMm[2]) / sz);
    const noiseFree = generateWholeBodyPet({
      nx: 64,
      ny: 48,
      nz: 30,
      lesions: 6,
      seed: 11,
      spacingMm: [4, 4, 5],
    });
    const idx = i + nx * (j + ny * k);
    expect((noiseFree.data[idx] as number) * factor).toBeCloseTo(lesion.suv, 4);
    expect(Math.abs((vol.data[idx] as number) - (src.data[idx] as number))).toBeLessThanOrEqual(
      (vol.slices[k]?.rescaleSlope ?? 0) / 2 + 1e-6,
    );
  });

  it("rejects data whose length does not match the dims", () => {
    expect(() => writePetSeries(new Float32Array(10), src.geometry, src.metadata)).toThrow(
      /10 values but dims 64x48x30 need 92160/,
    );
  });

  it("formatDs keeps DS within 16 characters and round-trips its own value", () => {
    for (const v of [0.5817961222247654, 1.23e-9, -198.95832824707, 123456789012.345, 6586.2]) {
      const f = formatDs(v);
      expect(f.text.length).toBeLessThanOrEqual(16);
      expect(Number(f.text)).toBe(f.value);
      expect(Math.abs(f.value - v)).toBeLessThanOrEqual(Math.abs(v) * 1e-9);
    }
  });
});

describe("compressed transfer syntaxes through the maintained codecs", () => {
  const src = generateWholeBodyPet({
    nx: 64,
    ny: 64,
    nz: 6,
    lesions: 2,
    seed: 2,
    spacingMm: [10, 10, 5],
  });

  async function encodedSeries(ts: string, encode: (u16: Uint16Array) => Promise<Uint8Array>) {
    const frames: Uint8Array[] = [];
    for (const f of writePetSeries(src.data, src.geometry, src.metadata)) {
      const inst = parseDicomPart10(f.bytes, f.name);
      const el = inst.dataSet.elements.x7fe00010;
      if (el === undefined) throw new Error("no pixel data");
      frames.push(
        await encode(
          new Uint16Array(
            inst.dataSet.byteArray.slice(el.dataOffset, el.dataOffset + el.length).buffer,
          ),
        ),
      );
    }
    return writePetSeries(src.data, src.geometry, src.metadata, {
      transferSyntaxUid: ts,
      mutateSlice: (els, k) =>
        els.map((e): DicomElementSpec =>
          e.tag === 0x7fe00010
            ? {
                tag: e.tag,
                vr: "OB",
                value: { kind: "encapsulated", frames: [frames[k] as Uint8Array] },
              }
            : e,
        ),
    });
  }

  it("JPEG-LS lossless (charls) series reads back exactly like the native one", async () => {
    const charls = await (await import("@cornerstonejs/codec-charls")).default();
    const files = await encodedSeries(TransferSyntaxUids.jpegLsLossless, async (u16) => {
      const enc = new charls.JpegLSEncoder();
      const buf = enc.getDecodedBuffer({
        width: 64,
        height: 64,
        bitsPerSample: 16,
        componentCount: 1,
        isSigned: false,
      });
      new Uint16Array(buf.buffer, buf.byteOffset, u16.length).set(u16);
      enc.setNearLossless?.(0);
      enc.encode();
      const out = enc.getEncodedBuffer().slice();
      enc.delete();
      return new Uint8Array(out);
    });
    const native = await readSeries(writePetSeries(src.data, src.geometry, src.metadata));
    const vol = await readSeries(files);
    expect(
      parseDicomPart10((files[0] as { bytes: Uint8Array }).bytes, "f").transferSyntax.uid,
    ).toBe(TransferSyntaxUids.jpegLsLossless);
    expect(Array.from(vol.data)).toEqual(Array.from(native.data));
    expect(() => assembleVolume(vol.instances)).toThrow(
      /slice-0001\.dcm: transfer syntax 1\.2\.840\.10008\.1\.2\.4\.80 \(JPEG-LS Lossless\) is not supported by the synchronous reader/,
    );
  });

  it("JPEG 2000 lossless (openjpeg) series reads back exactly like the native one", async () => {
    const oj = await (await import("@cornerstonejs/codec-openjpeg")).default();
    const files = await encodedSeries(TransferSyntaxUids.jpeg2000Lossless, async (u16) => {
      const enc = new oj.J2KEncoder();
      const buf = enc.getDecodedBuffer({
        width: 64,
        height: 64,
        bitsPerSample: 16,
        componentCount: 1,
        isSigned: false,
      });
      new Uint16Array(buf.buffer, buf.byteOffset, u16.length).set(u16);
      enc.encode();
      const out = enc.getEncodedBuffer().slice();
      enc.delete();
      return new Uint8Array(out);
    });
    const native = await readSeries(writePetSeries(src.data, src.geometry, src.metadata));
    const vol = await readSeries(files);
    expect(Array.from(vol.data)).toEqual(Array.from(native.data));
  });

  const encapsulated = (ts: string): Uint8Array =>
    encodePart10(
      [
        { tag: 0x00080060, vr: "CS", value: { kind: "str", value: "PT" } },
        { tag: 0x00280010, vr: "US", value: { kind: "u16", value: [64] } },
        { tag: 0x00280011, vr: "US", value: { kind: "u16", value: [64] } },
        { tag: 0x00280100, vr: "US", value: { kind: "u16", value: [16] } },
        {
          tag: 0x7fe00010,
          vr: "OB",
          value: {
            kind: "encapsulated",
            frames: [Uint8Array.from([0xff, 0x4f, 0xff, 0x51, 1, 2, 3, 4])],
          },
        },
      ],
      "1.2.840.10008.5.1.4.1.1.128",
      "2.25.1",
      ts,
    );

  it("an unsupported transfer syntax is refused with file, UID and name", async () => {
    const inst = parseDicomPart10(encapsulated("1.2.840.10008.1.2.4.201"), "htj2k.dcm");
    const err = await decodeFrame(inst).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DicomParseError);
    expect((err as DicomParseError).code).toBe("UNSUPPORTED_TRANSFER_SYNTAX");
    expect((err as DicomParseError).transferSyntaxUid).toBe("1.2.840.10008.1.2.4.201");
    expect((err as DicomParseError).message).toBe(
      "htj2k.dcm: transfer syntax 1.2.840.10008.1.2.4.201 (High-Throughput JPEG 2000 Image Compression (Lossless Only)) is not supported",
    );
  });

  it("a corrupt JPEG 2000 stream is a CODEC_FAILED error naming the file", async () => {
    const inst = parseDicomPart10(
      encapsulated(TransferSyntaxUids.jpeg2000Lossless),
      "broken-j2k.dcm",
    );
    await expect(decodeFrame(inst)).rejects.toThrow(
      /^broken-j2k\.dcm: JPEG 2000 Image Compression \(Lossless Only\) \(1\.2\.840\.10008\.1\.2\.4\.90\) decode failed/,
    );
  });
});

describe("generateWholeBodyPet anatomy", () => {
  it("liver lesions lie inside the liver ellipsoid and every lesion inside the body outline", () => {
    const p = generateWholeBodyPet({ seed: 9 });
    const [nx, ny] = p.geometry.dims;
    const [sx, sy, sz] = p.geometry.spacingMm;
    for (const l of p.lesions) {
      // the voxel nearest the centre carries the lesion's concentration (radius ≥ 4 mm > half voxel diagonal is not guaranteed in z)
      const i = Math.round((l.centreMm[0] - p.geometry.originMm[0]) / sx);
      const j = Math.round((l.centreMm[1] - p.geometry.originMm[1]) / sy);
      const k = Math.round((l.centreMm[2] - p.geometry.originMm[2]) / sz);
      const v = p.data[i + nx * (j + ny * k)] as number;
      expect(v).toBeGreaterThan(0);
      if (l.site === "liver") {
        const d = Math.hypot(
          (l.centreMm[0] - -60) / 80,
          (l.centreMm[1] - 0) / 70,
          (l.centreMm[2] - (p.geometry.originMm[2] + 0.7 * 400 * 4)) / 80,
        );
        expect(d).toBeLessThanOrEqual(0.6 + 1e-9);
      }
    }
    expect(p.lesions.some((l) => l.site === "liver")).toBe(true);
    expect(p.lesions.some((l) => l.site === "soft-tissue")).toBe(true);
  });
});

describe("generateCtForPet / writeCtSeries → read back", () => {
  const pet = generateWholeBodyPet({
    nx: 64,
    ny: 64,
    nz: 40,
    lesions: 6,
    seed: 11,
    spacingMm: [8, 8, 8],
  });
  const ct = generateCtForPet(pet);
  const meta = { ...pet.metadata, patientBirthDate: "19600101" };
  const [nx, ny, nz] = pet.geometry.dims;
  const count = (hu: number) => ct.hu.reduce((a, v) => a + (v === hu ? 1 : 0), 0);

  it("HU classes: air outside the body, soft tissue, organs, lungs and bone all present", () => {
    expect(ct.geometry).toEqual(pet.geometry);
    for (let n = 0; n < ct.hu.length; n++) {
      if (!((pet.data[n] as number) > 0)) expect(ct.hu[n]).toBe(SYNTHETIC_CT_HU.air);
      else expect(ct.hu[n]).not.toBe(SYNTHETIC_CT_HU.air);
    }
    for (const hu of Object.values(SYNTHETIC_CT_HU)) expect(count(hu)).toBeGreaterThan(10);
    // The liver (PET organ value) is soft-tissue-dense, not lung or bone.
    const liverVoxel = pet.data.findIndex(
      (v) => Math.abs(v - pet.organSuv.liver * pet.bqPerMlPerSuv) < 1e-3,
    );
    expect(ct.hu[liverVoxel]).toBe(SYNTHETIC_CT_HU.organ);
  });

  it("same study, frame of reference, patient and grid as the PET; CT SOP class; HU exact via slope/intercept", async () => {
    const petFiles = writePetSeries(pet.data, pet.geometry, meta);
    const ctFiles = writeCtSeries(ct.hu, ct.geometry, meta);
    expect(ctFiles).toHaveLength(nz);
    const p0 = parseDicomPart10((petFiles[0] as { bytes: Uint8Array }).bytes, "pet");
    const c0 = parseDicomPart10((ctFiles[0] as { bytes: Uint8Array }).bytes, "ct");
    expect(c0.modality).toBe("CT");
    expect(c0.sopClassUid).toBe("1.2.840.10008.5.1.4.1.1.2");
    expect(c0.studyInstanceUid).toBe(p0.studyInstanceUid);
    expect(c0.frameOfReferenceUid).toBe(p0.frameOfReferenceUid);
    expect(c0.seriesInstanceUid).not.toBe(p0.seriesInstanceUid);
    expect(c0.sopInstanceUid).not.toBe(p0.sopInstanceUid);
    expect(c0.dataSet.string("x00100020")).toBe(meta.patientId);
    expect(c0.dataSet.string("x00100030")).toBe("19600101");
    expect(c0.image?.rescaleIntercept).toBe(SYNTHETIC_CT_RESCALE_INTERCEPT);
    expect(c0.image?.rescaleSlope).toBe(1);
    for (const ts of [TransferSyntaxUids.explicitVrLittleEndian, TransferSyntaxUids.rleLossless]) {
      const vol = await readSeries(
        [...writeCtSeries(ct.hu, ct.geometry, meta, { transferSyntaxUid: ts })].reverse(),
      );
      expect(vol.geometry.dims).toEqual([nx, ny, nz]);
      for (let a = 0; a < 3; a++) {
        expect(vol.geometry.spacingMm[a]).toBeCloseTo(pet.geometry.spacingMm[a] as number, 9);
        expect(vol.geometry.originMm[a]).toBeCloseTo(pet.geometry.originMm[a] as number, 6);
      }
      expect(Array.from(vol.data)).toEqual(Array.from(ct.hu));
    }
  });

  it("refuses values outside the stored range and a wrong length, naming the value", () => {
    const bad = ct.hu.slice();
    bad[5] = -2000;
    expect(() => writeCtSeries(bad, ct.geometry, meta)).toThrow(/-2000 HU/);
    bad[5] = Number.NaN;
    expect(() => writeCtSeries(bad, ct.geometry, meta)).toThrow(DicomParseError);
    expect(() => writeCtSeries(ct.hu.subarray(1), ct.geometry, meta)).toThrow(/need/);
  });
});

describe("generateWholeBodySpect / writeSpectSeries → read back", () => {
  const opts = {
    nx: 64,
    ny: 64,
    nz: 40,
    lesions: 6,
    seed: 11,
    spacingMm: [8, 8, 8] as [number, number, number],
  };
  const sp = generateWholeBodySpect(opts);
  const files = writeSpectSeries(sp.counts, sp.geometry, sp.metadata);
  const inst = files.map((f) => parseDicomPart10(f.bytes, f.name));

  it("NM Image Storage single-frame slices: 177Lu, CNTS, not decay-corrected, frame duration = acquisition", () => {
    const i0 = inst[0];
    if (i0 === undefined) throw new Error("no instance");
    expect(i0.modality).toBe("NM");
    expect(i0.sopClassUid).toBe("1.2.840.10008.5.1.4.1.1.20");
    expect(i0.image?.numberOfFrames).toBe(1);
    expect(i0.dataSet.string("x00080008")).toBe("ORIGINAL\\PRIMARY\\RECON TOMO\\EMISSION");
    expect(Number(i0.dataSet.string("x00180088"))).toBe(8);
    const m = extractPetMetadata(i0);
    expect(m.Units).toBe("CNTS");
    expect(m.DecayCorrection).toBe("NONE");
    expect(m.ActualFrameDuration).toBe(1_200_000);
    expect(m.RadionuclideHalfLife).toBe(LU177_HALF_LIFE_S);
    // PET-only attributes are not written on NM instances.
    expect(i0.dataSet.elements.x00541330).toBeUndefined();
    expect(i0.dataSet.elements.x00541000).toBeUndefined();
  });

  it("the QA gate blocks without a calibration factor and passes with it (177Lu, Δt = 24 h)", () => {
    const without = runPetQa(inst);
    expect(without.findings.map((f) => `${f.code}:${f.severity}`)).toEqual([
      "SPECT_CALIBRATION_MISSING:BLOCKING",
    ]);
    const qa = runPetQa(inst, {
      overrides: { calibrationFactorCpsPerMBq: sp.calibrationFactorCpsPerMBq },
    });
    expect(qa.findings).toEqual([]);
    expect(qa.nuclide?.nuclide).toBe("177Lu");
    expect(qa.decayTimeS).toBeCloseTo(24 * 3600, 9);
  });

  it("counts read back within half a quantisation step; counts × SUV/count recover the lesion SUV and activity", async () => {
    const vol = await readSeries([...files].reverse());
    expect(vol.geometry.dims).toEqual(sp.geometry.dims);
    for (let a = 0; a < 3; a++)
      expect(vol.geometry.originMm[a]).toBeCloseTo(sp.geometry.originMm[a] as number, 6);
    const [nx, ny] = sp.geometry.dims;
    const slice = nx * ny;
    for (let k = 0; k < sp.geometry.dims[2]; k++) {
      const half = (vol.slices[k]?.rescaleSlope ?? NaN) / 2 + 1e-9;
      for (let n = k * slice; n < (k + 1) * slice; n++)
        expect(Math.abs((vol.data[n] as number) - (sp.counts[n] as number))).toBeLessThanOrEqual(
          half + 1e-6 * (sp.counts[n] as number),
        );
    }
    // The server's SPECT_CALIBRATED factor from the header (inverse model, reference/suv.md §2.3):
    // SUV/count = 1e6 / (D·CF·V) × W[g] / (A · 2^(−(Δt + T_ave)/T½)).
    const m = extractPetMetadata(inst[0] as (typeof inst)[number]);
    const D = (m.ActualFrameDuration as number) / 1000;
    const V = (8 * 8 * 8) / 1000;
    const decay = 24 * 3600 + frameAverageTimeS(D, m.RadionuclideHalfLife as number);
    const suvPerCount =
      (1e6 / (D * sp.calibrationFactorCpsPerMBq * V)) *
      (((m.PatientWeight as number) * 1000) /
        ((m.RadionuclideTotalDose as number) *
          Math.pow(2, -decay / (m.RadionuclideHalfLife as number))));
    expect(suvPerCount / sp.suvPerCount).toBeCloseTo(1, 12);
    expect(sp.decayS).toBeCloseTo(decay, 9);
    for (const l of sp.lesions) {
      const idx = [0, 1, 2].map((a) =>
        Math.round((l.centreMm[a]! - sp.geometry.originMm[a]!) / sp.geometry.spacingMm[a]!),
      );
      const n = idx[0]! + nx * (idx[1]! + ny * idx[2]!);
      expect((sp.counts[n] as number) * suvPerCount).toBeCloseTo(l.suv, 3);
      expect((sp.counts[n] as number) * sp.bqPerMlPerCount).toBeCloseTo(l.concentrationBqPerMl, 0);
      expect((vol.data[n] as number) * suvPerCount).toBeCloseTo(l.suv, 2);
    }
  });

  it("is deterministic and validates its physics inputs", () => {
    const again = generateWholeBodySpect(opts);
    expect(Buffer.from(again.counts.buffer).equals(Buffer.from(sp.counts.buffer))).toBe(true);
    expect(() => generateWholeBodySpect({ ...opts, acquisitionDurationS: 0 })).toThrow(
      /acquisitionDurationS/,
    );
    expect(() => generateWholeBodySpect({ ...opts, calibrationFactorCpsPerMBq: -1 })).toThrow(
      /calibrationFactorCpsPerMBq/,
    );
  });
});
