import { describe, expect, it } from "vitest";
import { lcg } from "../../test/synthetic-volume.js";
import { IDENTITY_DIRECTION, type Volume } from "./geometry.js";
import { percistLiverThreshold } from "./threshold.js";
import { relativeThresholdInVoi } from "./threshold.js";
import { segmentLesions } from "./segment.js";
import {
  boxMask,
  boxVoiStats,
  ellipsoidMask,
  ellipsoidVoiStats,
  liverReferenceStats,
  maskVoiStats,
  percistThresholdFromLiver,
  sphereVoiStats,
  spleenReferenceStats,
  tumourToLiverRatio,
  tumourToReferenceRatio,
  tumourToSpleenRatio,
} from "./voi.js";

function cube(
  n: number,
  spacing: number,
  fill: (x: number, y: number, z: number) => number,
  originMm: [number, number, number] = [0, 0, 0],
): Volume {
  const data = new Float32Array(n * n * n);
  for (let z = 0; z < n; z++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) data[x + y * n + z * n * n] = fill(x, y, z);
  return {
    data,
    geometry: {
      dims: [n, n, n],
      spacingMm: [spacing, spacing, spacing],
      originMm,
      direction: IDENTITY_DIRECTION,
    },
  };
}

describe("VOI statistics", () => {
  it("a sphere VOI of radius r has volume ≈ 4/3·π·r³ (r = 15 mm, 1 mm voxels, within 1 %)", () => {
    const v = cube(40, 1, () => 2);
    const s = sphereVoiStats(v, [20, 20, 20], 15);
    const exact = ((4 / 3) * Math.PI * 15 ** 3) / 1000;
    expect(Math.abs(s.volumeMl - exact) / exact).toBeLessThan(0.01);
    expect(s.mean).toBeCloseTo(2, 6);
    expect(s.sd).toBeCloseTo(0, 6);
    expect(s.peak!).toBeCloseTo(2, 6);
  });
  it("ellipsoid volume ≈ 4/3·π·abc (10, 15, 8 mm) within 2 %", () => {
    const v = cube(40, 1, () => 1);
    const s = ellipsoidVoiStats(v, [20, 20, 20], [10, 15, 8]);
    const exact = ((4 / 3) * Math.PI * 10 * 15 * 8) / 1000;
    expect(Math.abs(s.volumeMl - exact) / exact).toBeLessThan(0.02);
  });
  it("box VOI counts voxel centres inclusively and is invariant to corner order", () => {
    const v = cube(20, 2, (x) => x);
    const a = boxVoiStats(v, [2, 2, 2], [10, 6, 4]); // i 1..5, j 1..3, k 1..2
    const b = boxVoiStats(v, [10, 6, 4], [2, 2, 2]);
    expect(a.voxelCount).toBe(5 * 3 * 2);
    expect(b.voxelCount).toBe(a.voxelCount);
    expect(a.mean).toBeCloseTo(3, 9);
    expect(a.max).toBe(5);
    expect(a.maxMm[0]).toBeCloseTo(10, 12);
    expect(a.maxMm[1]).toBeCloseTo(2, 12);
    expect(a.maxMm[2]).toBeCloseTo(2, 12);
    expect(a.min).toBe(1);
  });
  it("sample SD of a known set: values 1..5 in a box → SD √2.5", () => {
    const v = cube(5, 1, (x) => x + 1);
    const s = boxVoiStats(v, [0, 0, 0], [4, 0, 0], { peak: false });
    expect(s.voxelCount).toBe(5);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 9);
    expect(s.peak).toBeNull();
  });
  it("volume and mean are invariant under translation of origin and centre", () => {
    const rnd = lcg(11);
    const vals = Float32Array.from({ length: 30 ** 3 }, () => rnd() * 5);
    const a: Volume = {
      data: vals,
      geometry: {
        dims: [30, 30, 30],
        spacingMm: [2, 2, 2],
        originMm: [0, 0, 0],
        direction: IDENTITY_DIRECTION,
      },
    };
    const b: Volume = { data: vals, geometry: { ...a.geometry, originMm: [-123, 45, 600] } };
    const sa = sphereVoiStats(a, [30, 30, 30], 12);
    const sb = sphereVoiStats(b, [30 - 123, 30 + 45, 630], 12);
    expect(sb.voxelCount).toBe(sa.voxelCount);
    expect(Math.abs(sb.mean - sa.mean)).toBeLessThan(1e-12);
    expect(Math.abs(sb.peak! - sa.peak!)).toBeLessThan(1e-12);
  });
  it("liver reference: 30 mm sphere, mean/SD feed the PERCIST threshold", () => {
    // liver SUL 1.8 with alternating ±0.25 pattern → mean ≈ 1.8, SD ≈ 0.25
    const v = cube(30, 2, (x, y, z) => 1.8 + ((x + y + z) % 2 === 0 ? 0.25 : -0.25));
    const liver = liverReferenceStats(v, [30, 30, 30]);
    const exact = ((4 / 3) * Math.PI * 15 ** 3) / 1000;
    expect(Math.abs(liver.volumeMl - exact) / exact).toBeLessThan(0.05);
    expect(Math.abs(liver.mean - 1.8)).toBeLessThan(0.02);
    expect(Math.abs(liver.sd - 0.25)).toBeLessThan(0.01);
    expect(percistLiverThreshold(liver.mean, liver.sd)).toBeCloseTo(
      1.5 * liver.mean + 2 * liver.sd,
      12,
    );
    expect(Math.abs(percistLiverThreshold(liver.mean, liver.sd) - 3.2)).toBeLessThan(0.05);
    const fromImage = percistThresholdFromLiver(v, [30, 30, 30]);
    expect(fromImage.threshold).toBeCloseTo(1.5 * liver.mean + 2 * liver.sd, 12);
    expect(fromImage.liver.voxelCount).toBe(liver.voxelCount);
  });
  it("spleen reference from a mask equals the same region as a sphere", () => {
    const v = cube(20, 3, (x, y) => 20 + x - y);
    const mask = new Uint8Array(v.data.length);
    for (let z = 0; z < 20; z++)
      for (let y = 0; y < 20; y++)
        for (let x = 0; x < 20; x++)
          if (((x - 10) * 3) ** 2 + ((y - 10) * 3) ** 2 + ((z - 10) * 3) ** 2 <= 15 ** 2)
            mask[x + y * 20 + z * 400] = 1;
    const m = spleenReferenceStats(v, { mask });
    const s = spleenReferenceStats(v, { centreMm: [30, 30, 30], diameterMm: 30 });
    expect(m.voxelCount).toBe(s.voxelCount);
    expect(Math.abs(m.mean - s.mean)).toBeLessThan(1e-9);
    expect(maskVoiStats(v, mask).peak).not.toBeNull();
  });
  it("S8 ratios: lesion SUVmax 24, liver mean 6 → T/L 4.0; spleen mean 20 → T/S 1.2", () => {
    expect(tumourToLiverRatio(24, 6)).toBeCloseTo(4, 12);
    expect(tumourToSpleenRatio(24, 20)).toBeCloseTo(1.2, 12);
    expect(tumourToReferenceRatio(0, 3)).toBe(0);
  });
  it("masks match the VOI statistics voxel for voxel (sphere and box)", () => {
    const v = cube(20, 2, (x, y, z) => x + 2 * y + 3 * z);
    const m = ellipsoidMask(v.geometry, [20, 18, 16], [7, 7, 7]);
    const viaMask = maskVoiStats(v, m);
    const direct = sphereVoiStats(v, [20, 18, 16], 7);
    expect(viaMask.voxelCount).toBe(direct.voxelCount);
    expect(Math.abs(viaMask.mean - direct.mean)).toBeLessThan(1e-9);
    expect(Math.abs(viaMask.peak! - direct.peak!)).toBeLessThan(1e-9);
    const b = boxMask(v.geometry, [2, 2, 2], [10, 6, 4], new Uint8Array(8000).fill(1));
    expect(b.reduce((a, x) => a + x, 0)).toBe(boxVoiStats(v, [2, 2, 2], [10, 6, 4]).voxelCount);
  });
  it("41 % of SUVmax inside a sphere ROI (suv.md §3): only the lesion in the ROI is segmented", () => {
    const v = cube(30, 2, () => 1);
    // two hot cubes: SUV 10 at i≈5 and SUV 20 at i≈22; ROI around the first only
    for (let z = 13; z < 17; z++)
      for (let y = 13; y < 17; y++) {
        for (let x = 3; x < 7; x++) v.data[x + y * 30 + z * 900] = 10;
        for (let x = 20; x < 24; x++) v.data[x + y * 30 + z * 900] = 20;
      }
    const roi = ellipsoidMask(v.geometry, [10, 30, 30], [12, 12, 12]);
    const { threshold, suvMax } = relativeThresholdInVoi(v, roi, 0.41);
    expect(suvMax).toBeCloseTo(10, 6);
    expect(threshold).toBeCloseTo(4.1, 9);
    const r = segmentLesions(v, { threshold, voiMask: roi });
    expect(r.lesions).toHaveLength(1);
    expect(r.lesions[0]!.voxelCount).toBe(64);
    expect(r.lesions[0]!.suvMean).toBeCloseTo(10, 6);
  });
  it("rejects empty VOIs and bad parameters naming the value", () => {
    const v = cube(10, 2, () => 1);
    expect(() => sphereVoiStats(v, [500, 500, 500], 5)).toThrow(
      /sphere|ellipsoid VOI contains no voxel centre.*got 0/,
    );
    expect(() => sphereVoiStats(v, [5, 5, 5], 0)).toThrow(/radiusMm must be > 0, got 0/);
    expect(() => tumourToLiverRatio(24, 0)).toThrow(/liverSuv must be > 0, got 0/);
    expect(() => tumourToReferenceRatio(-1, 2)).toThrow(/lesionSuv must be >= 0, got -1/);
    expect(() => maskVoiStats(v, new Uint8Array(2))).toThrow(/length 1000, got length 2/);
    expect(() =>
      ellipsoidVoiStats(v, [1, 2] as unknown as [number, number, number], [1, 1, 1]),
    ).toThrow(/centreMm must be \[x, y, z\]/);
  });
});
