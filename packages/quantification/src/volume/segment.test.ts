import { describe, expect, it } from "vitest";
import { lcg, makeSyntheticPet } from "../../test/synthetic-volume.js";
import { IDENTITY_DIRECTION, type Volume, type VolumeGeometry } from "./geometry.js";
import { labelComponents26 } from "./label.js";
import { sphereRadiusMm } from "./peak.js";
import { segmentLesions } from "./segment.js";
import { sphereVoiStats } from "./voi.js";
import {
  percistBloodPoolThreshold,
  percistLiverThreshold,
  relativeThresholdInVoi,
  thresholdMask,
} from "./threshold.js";

function vol(
  dims: [number, number, number],
  spacingMm: [number, number, number] = [4, 4, 4],
  originMm: [number, number, number] = [0, 0, 0],
): Volume {
  const geometry: VolumeGeometry = { dims, spacingMm, originMm, direction: IDENTITY_DIRECTION };
  return { data: new Float32Array(dims[0] * dims[1] * dims[2]), geometry };
}

// reference/suv.md §4 Example S6: one lesion, 4 mm voxels (0.064 mL), ten voxel SUVs.
const S6 = [10.0, 8.2, 7.5, 6.0, 5.1, 4.3, 4.0, 3.2, 2.6, 2.4];
function s6Volume(): Volume {
  const v = vol([14, 3, 3]);
  S6.forEach((s, t) => (v.data[2 + t + 1 * 14 + 1 * 42] = s)); // a row in the middle, background 0
  return v;
}

describe("thresholds (suv.md §3, Examples S6/S7)", () => {
  it.each([
    ["41 % SUVmax", 0.41, 6, 0.384, 6.85, 2.6304],
    ["50 % SUVmax", 0.5, 5, 0.32, 7.36, 2.3552],
  ])(
    "S6 %s: kept %i voxels, MTV %f mL, SUVmean %f, TLG %f",
    (_name, fraction, n, mtv, mean, tlg) => {
      const v = s6Volume();
      const voi = new Uint8Array(v.data.length).fill(1);
      const { threshold, suvMax } = relativeThresholdInVoi(v, voi, fraction);
      expect(suvMax).toBeCloseTo(10, 6);
      const r = segmentLesions(v, { threshold, rule: `${fraction * 100}% SUVmax` });
      expect(r.lesions).toHaveLength(1);
      const l = r.lesions[0]!;
      expect(l.voxelCount).toBe(n);
      expect(l.volumeMl).toBeCloseTo(mtv, 9);
      expect(l.suvMean).toBeCloseTo(mean, 5);
      expect(l.tlg).toBeCloseTo(tlg, 4);
      expect(r.rule).toBe(`${fraction * 100}% SUVmax`);
    },
  );
  it("S6 fixed SUV ≥ 2.5: 9 voxels, 0.576 mL, SUVmean 5.6556, TLG 3.2576", () => {
    const l = segmentLesions(s6Volume(), { threshold: 2.5 }).lesions[0]!;
    expect(l.voxelCount).toBe(9);
    expect(l.volumeMl).toBeCloseTo(0.576, 9);
    expect(l.suvMean).toBeCloseTo(5.6556, 4);
    expect(l.tlg).toBeCloseTo(3.2576, 4);
  });
  it("tie rule: SUV = threshold is inside (≥), also for values not exact in float32 (4.3)", () => {
    const v = s6Volume();
    expect(thresholdMask(v, 4.3).count).toBe(6);
    expect(thresholdMask(v, 10).count).toBe(1);
    expect(thresholdMask(v, 10.000001).count).toBe(0);
  });
  it("S7 PERCIST: 1.5 × 1.8 + 2 × 0.25 = 3.2; blood pool 2 × 1.8 + 2 × 0.25 = 4.1", () => {
    expect(percistLiverThreshold(1.8, 0.25)).toBeCloseTo(3.2, 12);
    expect(percistBloodPoolThreshold(1.8, 0.25)).toBeCloseTo(4.1, 12);
  });
  it("rejects bad inputs naming the value", () => {
    const v = s6Volume();
    expect(() => percistLiverThreshold(-1, 0.2)).toThrow(/liverMean must be >= 0, got -1/);
    expect(() => relativeThresholdInVoi(v, new Uint8Array(v.data.length), 0.41)).toThrow(
      /at least one voxel, got 0/,
    );
    expect(() => relativeThresholdInVoi(v, new Uint8Array(v.data.length).fill(1), 1.5)).toThrow(
      /fraction must be in \(0, 1\], got 1.5/,
    );
    expect(() => segmentLesions(v, { threshold: Number.NaN })).toThrow(
      /threshold must be a finite number, got NaN/,
    );
    expect(() => segmentLesions(v, { threshold: 1, minVolumeMl: -1 })).toThrow(
      /minVolumeMl must be >= 0, got -1/,
    );
    expect(() => segmentLesions(v, { threshold: 1, peakSphereVolumeMl: 0 })).toThrow(
      /peakSphereVolumeMl must be > 0, got 0/,
    );
    expect(() => thresholdMask(v, 1, new Uint8Array(3))).toThrow(
      /voiMask.length must equal 126, got 3/,
    );
  });
});

/** Naive reference labelling: union–find over all 26 neighbour pairs. */
function naiveLabels(mask: Uint8Array, [nx, ny, nz]: [number, number, number]): Int32Array {
  const parent = new Int32Array(mask.length).map((_, i) => i);
  const find = (a: number): number => {
    while (parent[a] !== a) a = parent[a] = parent[parent[a]!]!;
    return a;
  };
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const p = x + y * nx + z * nx * ny;
        if (!mask[p]) continue;
        for (let dz = -1; dz <= 1; dz++)
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const X = x + dx,
                Y = y + dy,
                Z = z + dz;
              if (X < 0 || Y < 0 || Z < 0 || X >= nx || Y >= ny || Z >= nz) continue;
              const q = X + Y * nx + Z * nx * ny;
              if (mask[q]) parent[find(p)] = find(q);
            }
      }
  return parent.map((_, i) => (mask[i] ? find(i) + 1 : 0));
}

describe("labelComponents26", () => {
  it("corner-touching voxels are one component; a one-voxel gap makes two", () => {
    const dims: [number, number, number] = [5, 5, 5];
    const m = new Uint8Array(125);
    m[0] = 1;
    m[1 + 5 + 25] = 1; // diagonal corner neighbour of voxel 0
    m[4 + 4 * 5 + 4 * 25] = 1; // far corner: separate
    const r = labelComponents26(m, dims);
    expect(r.count).toBe(2);
    expect(r.labels[0]).toBe(r.labels[31]);
    expect(r.labels[124]).not.toBe(r.labels[0]);
  });
  it.each([1, 2, 3, 4])(
    "matches a naive union–find partition on a random 13×11×9 mask (seed %i)",
    (seed) => {
      const dims: [number, number, number] = [13, 11, 9];
      const rnd = lcg(seed);
      const m = new Uint8Array(13 * 11 * 9).map(() => (rnd() < 0.25 ? 1 : 0));
      const r = labelComponents26(m, dims);
      const naive = naiveLabels(m, dims);
      // Same partition: a bijection between label ids.
      const map = new Map<number, number>();
      for (let i = 0; i < m.length; i++) {
        expect(r.labels[i] === 0).toBe(naive[i] === 0);
        if (r.labels[i] === 0) continue;
        const prev = map.get(r.labels[i]!);
        if (prev === undefined) map.set(r.labels[i]!, naive[i]!);
        else expect(prev).toBe(naive[i]);
      }
      expect(new Set(map.values()).size).toBe(r.count);
      // component sizes sum to the foreground count
      expect(r.componentStart[r.count]).toBe(m.reduce((a, b) => a + b, 0));
    },
  );
  it("handles degenerate 1-voxel-thick volumes and reports progress up to 1", () => {
    const m = new Uint8Array([1, 1, 0, 1]);
    const seen: number[] = [];
    const r = labelComponents26(m, [4, 1, 1], { onProgress: (f) => seen.push(f) });
    expect(r.count).toBe(2);
    expect(seen.at(-1)).toBe(1);
  });
  it("rejects a mask of the wrong length naming it", () => {
    expect(() => labelComponents26(new Uint8Array(3), [2, 2, 2])).toThrow(
      /length nx·ny·nz = 8, got 3/,
    );
    expect(() =>
      labelComponents26(new Uint8Array(8), [2, 0, 2] as [number, number, number]),
    ).toThrow(/dims\[1\] must be >= 1, got 0/);
  });
});

/** Brute-force SUVpeak: for each lesion voxel as centre, mean of all in-image voxels within r. */
function bruteForcePeak(v: Volume, labels: Int32Array, label: number, radiusMm: number): number {
  const [nx, ny, nz] = v.geometry.dims;
  const [sx, sy, sz] = v.geometry.spacingMm;
  let best = -Infinity;
  for (let p = 0; p < labels.length; p++) {
    if (labels[p] !== label) continue;
    const cx = p % nx,
      cy = Math.floor(p / nx) % ny,
      cz = Math.floor(p / (nx * ny));
    let s = 0,
      n = 0;
    for (let z = 0; z < nz; z++)
      for (let y = 0; y < ny; y++)
        for (let x = 0; x < nx; x++) {
          if (((x - cx) * sx) ** 2 + ((y - cy) * sy) ** 2 + ((z - cz) * sz) ** 2 <= radiusMm ** 2) {
            s += v.data[x + y * nx + z * nx * ny]!;
            n++;
          }
        }
    best = Math.max(best, s / n);
  }
  return best;
}

describe("segmentLesions", () => {
  it("1 cm³ peak sphere radius = 6.2035 mm (diameter (6/π)^(1/3) cm = 12.407 mm, suv.md §3)", () => {
    expect(sphereRadiusMm(1)).toBeCloseTo(6.2035, 4);
    expect(2 * sphereRadiusMm(1)).toBeCloseTo(10 * Math.cbrt(6 / Math.PI), 9);
  });
  it("SUVpeak equals a brute-force search on random lesions (2 mm voxels, image-border clipping)", () => {
    const v = vol([16, 14, 12], [2, 2.5, 3]);
    const rnd = lcg(99);
    for (let i = 0; i < v.data.length; i++) v.data[i] = rnd() * 10;
    const r = segmentLesions(v, { threshold: 7 });
    expect(r.lesions.length).toBeGreaterThan(0);
    for (const l of r.lesions.slice(0, 6)) {
      const want = bruteForcePeak(v, r.labels, l.label, sphereRadiusMm(1));
      expect(Math.abs(l.suvPeak! - want)).toBeLessThan(1e-9 * want + 1e-12);
    }
  });
  it("SUVpeak centre need not be the max voxel: a hot single voxel loses to a warm plateau", () => {
    const v = vol([30, 30, 30], [2, 2, 2]);
    v.data.fill(1);
    // plateau of SUV 8 (radius 8 mm) and, joined to it, one voxel of SUV 20 at its edge
    for (let z = 0; z < 30; z++)
      for (let y = 0; y < 30; y++)
        for (let x = 0; x < 30; x++)
          if ((x - 15) ** 2 + (y - 15) ** 2 + (z - 15) ** 2 <= 16) v.data[x + y * 30 + z * 900] = 8;
    v.data[20 + 15 * 30 + 15 * 900] = 20;
    const l = segmentLesions(v, { threshold: 5 }).lesions[0]!;
    expect(l.suvMax).toBeCloseTo(20, 6);
    // the sphere centred on the max voxel averages in background: lower than the plateau
    const atMax = sphereVoiStats(v, [40, 30, 30], sphereRadiusMm(1), { peak: false }).mean;
    expect(atMax).toBeLessThan(8);
    expect(l.suvPeak!).toBeCloseTo(8, 5);
    const [px, py, pz] = l.suvPeakCentreMm!;
    expect(Math.hypot(px - 40, py - 30, pz - 30)).toBeGreaterThan(1); // not at the max voxel
  });
  it("a uniform SUV 10 sphere larger than the peak sphere has SUVpeak 10 and SUVmax 10", () => {
    const v = vol([40, 40, 40], [2, 2, 2]);
    for (let z = 0; z < 40; z++)
      for (let y = 0; y < 40; y++)
        for (let x = 0; x < 40; x++)
          if ((x - 20) ** 2 + (y - 20) ** 2 + (z - 20) ** 2 <= 100)
            v.data[x + y * 40 + z * 1600] = 10;
    const l = segmentLesions(v, { threshold: 5 }).lesions[0]!;
    expect(l.suvPeak!).toBeCloseTo(10, 6);
    expect(l.suvMean).toBeCloseTo(10, 6);
  });
  it("a sphere of radius r segments to ≈ 4/3·π·r³ (r = 20 mm, 1 mm voxels, within 1 %)", () => {
    const v = vol([50, 50, 50], [1, 1, 1]);
    for (let z = 0; z < 50; z++)
      for (let y = 0; y < 50; y++)
        for (let x = 0; x < 50; x++)
          if ((x - 25) ** 2 + (y - 25) ** 2 + (z - 25) ** 2 <= 400)
            v.data[x + y * 50 + z * 2500] = 4;
    const l = segmentLesions(v, { threshold: 2.5 }).lesions[0]!;
    const exact = ((4 / 3) * Math.PI * 20 ** 3) / 1000;
    expect(Math.abs(l.volumeMl - exact) / exact).toBeLessThan(0.01);
    expect(l.centroidMm[0]).toBeCloseTo(25, 9);
    expect(l.bboxMin).toEqual([5, 5, 5]);
    expect(l.bboxMax).toEqual([45, 45, 45]);
  });
  it("invariants on a synthetic whole-body-like volume: counts sum to thresholded voxels, TMTV = Σ volumes, TLG = mean × volume", () => {
    const { volume } = makeSyntheticPet({
      dims: [64, 64, 80],
      spacingMm: [4, 4, 4],
      lesionCount: 12,
      seed: 7,
    });
    const r = segmentLesions(volume, { threshold: 8 });
    const independent = thresholdMask(volume, 8).count; // separate code path
    expect(independent).toBeGreaterThan(100);
    expect(r.lesions.reduce((a, l) => a + l.voxelCount, 0)).toBe(independent);
    expect(r.thresholdedVoxelCount).toBe(independent);
    expect(Math.abs(r.tmtvMl - r.lesions.reduce((a, l) => a + l.volumeMl, 0))).toBeLessThan(1e-9);
    for (const l of r.lesions) {
      expect(Math.abs(l.tlg - l.suvMean * l.volumeMl)).toBeLessThan(1e-9);
      expect(l.suvPeak!).toBeLessThanOrEqual(l.suvMax + 1e-6);
      expect(l.suvMean).toBeLessThanOrEqual(l.suvMax + 1e-6);
    }
    let labelled = 0;
    for (let i = 0; i < r.labels.length; i++) if (r.labels[i]! > 0) labelled++;
    expect(labelled).toBe(r.thresholdedVoxelCount);
  });
  it("translation invariance: shifting the lesions and the origin changes only the centroid by the shift", () => {
    const a = vol([30, 30, 30], [3, 3, 3]);
    const b = vol([30, 30, 30], [3, 3, 3], [100, -50, 7]);
    const rnd = lcg(5);
    for (let z = 5; z < 15; z++)
      for (let y = 6; y < 12; y++)
        for (let x = 4; x < 13; x++) {
          const s = rnd() < 0.6 ? 3 + rnd() * 5 : 0;
          a.data[x + y * 30 + z * 900] = s;
          b.data[x + 7 + (y + 9) * 30 + (z + 11) * 900] = s;
        }
    const ra = segmentLesions(a, { threshold: 2.5 });
    const rb = segmentLesions(b, { threshold: 2.5 });
    expect(rb.lesions.length).toBe(ra.lesions.length);
    expect(Math.abs(rb.tmtvMl - ra.tmtvMl)).toBeLessThan(1e-12);
    for (let t = 0; t < ra.lesions.length; t++) {
      const la = ra.lesions[t]!;
      const lb = rb.lesions[t]!;
      expect(lb.voxelCount).toBe(la.voxelCount);
      expect(Math.abs(lb.suvMean - la.suvMean)).toBeLessThan(1e-9);
      expect(Math.abs(lb.suvPeak! - la.suvPeak!)).toBeLessThan(1e-9);
      expect(lb.centroidMm[0] - la.centroidMm[0]).toBeCloseTo(100 + 21, 9);
      expect(lb.centroidMm[1] - la.centroidMm[1]).toBeCloseTo(-50 + 27, 9);
      expect(lb.centroidMm[2] - la.centroidMm[2]).toBeCloseTo(7 + 33, 9);
    }
  });
  it("centroid uses the direction cosines (rotated geometry)", () => {
    const v: Volume = {
      data: new Float32Array(5 * 5 * 5),
      geometry: {
        dims: [5, 5, 5],
        spacingMm: [2, 2, 2],
        originMm: [0, 0, 0],
        direction: [0, -1, 0, 1, 0, 0, 0, 0, 1],
      },
    };
    v.data[3 + 1 * 5 + 2 * 25] = 5;
    const l = segmentLesions(v, { threshold: 1 }).lesions[0]!;
    expect(l.centroidMm[0]).toBeCloseTo(-2, 12); // j = 1 → −x
    expect(l.centroidMm[1]).toBeCloseTo(6, 12); // i = 3 → +y
    expect(l.centroidMm[2]).toBeCloseTo(4, 12);
  });
  it("minVolumeMl drops small components, relabels the rest 1..K and zeroes dropped voxels", () => {
    const v = vol([20, 5, 5]);
    v.data[1 + 5 * 20 * 0 + 2 * 20 + 2 * 100] = 9; // single voxel 0.064 mL
    for (let x = 10; x < 15; x++) v.data[x + 2 * 20 + 2 * 100] = 6; // 5 voxels = 0.32 mL
    const r = segmentLesions(v, { threshold: 3, minVolumeMl: 0.1 });
    expect(r.lesions).toHaveLength(1);
    expect(r.droppedComponents).toBe(1);
    expect(r.lesions[0]!.label).toBe(1);
    expect(r.labels[1 + 2 * 20 + 2 * 100]).toBe(0);
    expect(r.labels[12 + 2 * 20 + 2 * 100]).toBe(1);
    expect(r.tmtvMl).toBeCloseTo(0.32, 9);
  });
  it.each([11, 12, 13])(
    "fused threshold-labelling gives the same partition as thresholdMask + labelComponents26 (random volume with ROI, seed %i)",
    (seed) => {
      const v = vol([17, 13, 11], [2, 2, 2]);
      const rnd = lcg(seed);
      for (let i = 0; i < v.data.length; i++) v.data[i] = rnd() * 4;
      const roi = new Uint8Array(v.data.length).map(() => (rnd() < 0.8 ? 1 : 0));
      const seg = segmentLesions(v, { threshold: 2.9, voiMask: roi, suvPeak: false });
      const ref = labelComponents26(thresholdMask(v, 2.9, roi).mask, v.geometry.dims);
      expect(seg.lesions.length).toBe(ref.count);
      const map = new Map<number, number>();
      for (let i = 0; i < v.data.length; i++) {
        expect(seg.labels[i] === 0).toBe(ref.labels[i] === 0);
        if (seg.labels[i] === 0) continue;
        const prev = map.get(seg.labels[i]!);
        if (prev === undefined) map.set(seg.labels[i]!, ref.labels[i]!);
        else expect(prev).toBe(ref.labels[i]);
      }
    },
  );
  it("restricts to a VOI mask and reports monotone progress ending at 1", () => {
    const { volume } = makeSyntheticPet({
      dims: [48, 48, 40],
      spacingMm: [4, 4, 4],
      lesionCount: 8,
      seed: 3,
    });
    const voi = new Uint8Array(volume.data.length);
    voi.fill(1, 0, volume.data.length / 2);
    const seen: number[] = [];
    const all = segmentLesions(volume, { threshold: 8 });
    const half = segmentLesions(volume, {
      threshold: 8,
      voiMask: voi,
      onProgress: (f) => seen.push(f),
    });
    expect(half.thresholdedVoxelCount).toBeLessThan(all.thresholdedVoxelCount);
    expect(half.thresholdedVoxelCount).toBeGreaterThan(0);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen.at(-1)).toBe(1);
  });
});
