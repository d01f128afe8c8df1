import { describe, expect, it } from "vitest";
import { applyPerSliceRescale, applyScaleFactor } from "./apply.js";
import { spectBqPerMl, spectCountsToBqPerMl, spectSuvbwFactor } from "./spect.js";

const LU177_S = 6.647 * 86400; // radionuclides.md §2

describe("spectBqPerMl", () => {
  it("1.2e6 counts over 1200 s with CF 10 cps/MBq in a 4.8 mL voxel → 1000 cps → 100 MBq / 4.8 mL", () => {
    expect(spectBqPerMl(1.2e6, 10, 1200, 4.8)).toBeCloseTo(100e6 / 4.8, 3);
  });
  it("is linear in counts and inverse in volume (invariant)", () => {
    expect(spectBqPerMl(2000, 9.5, 900, 0.1)).toBeCloseTo(2 * spectBqPerMl(1000, 9.5, 900, 0.1), 6);
    expect(spectBqPerMl(1000, 9.5, 900, 0.2)).toBeCloseTo(spectBqPerMl(1000, 9.5, 900, 0.1) / 2, 6);
  });
  it("whole-volume version matches the scalar one", () => {
    const counts = new Float32Array([0, 10, 250.5, -3]);
    const out = spectCountsToBqPerMl(counts, 12, 600, 0.064, new Float32Array(4));
    for (let i = 0; i < 4; i++) {
      const want = spectBqPerMl(counts[i]!, 12, 600, 0.064);
      expect(Math.abs(out[i]! - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-6 + 1e-9);
    }
  });
  it("rejects a zero calibration factor naming the value", () => {
    expect(() => spectBqPerMl(1, 0, 1, 1)).toThrow(/calibrationFactorCpsPerMBq must be > 0, got 0/);
    expect(() => spectBqPerMl(1, 1, 1, -1)).toThrow(/voxelVolumeMl must be > 0, got -1/);
  });
});

describe("spectSuvbwFactor (suv.md §1, §2.3; radionuclides.md Example R2)", () => {
  it("7208 MBq 177Lu, scan 24 h later (instantaneous), 70 kg: activity 7208 × 0.900973 MBq", () => {
    const r = spectSuvbwFactor({
      administeredMBq: 7208,
      administrationTime: "2024-05-01T09:00:00Z",
      acquisitionStartTime: "2024-05-02T09:00:00Z",
      acquisitionDurationS: 0,
      halfLifeS: 159.528 * 3600,
      weightKg: 70,
    });
    expect(r.decayS).toBeCloseTo(86400, 9);
    expect(r.activityAtScanBq / 1e6).toBeCloseTo(7208 * 0.900973, 1);
    const want = 70000 / (7208e6 * 0.900973);
    expect(Math.abs(r.suvbw - want) / want).toBeLessThan(1e-6);
  });
  it("T_ave of a 180 s frame with T½ 6586.2 s is 89.86 s (suv.md §2.3 worked check)", () => {
    const r = spectSuvbwFactor({
      administeredMBq: 100,
      administrationTime: "2024-01-01T00:00:00Z",
      acquisitionStartTime: "2024-01-01T00:00:00Z",
      acquisitionDurationS: 180,
      halfLifeS: 6586.2,
      weightKg: 70,
    });
    expect(r.decayS).toBeCloseTo(89.86, 2);
  });
  it("a 20 min 177Lu acquisition shifts the time by ≈ D/2 = 600 s", () => {
    const r = spectSuvbwFactor({
      administeredMBq: 7400,
      administrationTime: "2024-05-01T09:00:00Z",
      acquisitionStartTime: "2024-05-01T13:00:00Z",
      acquisitionDurationS: 1200,
      halfLifeS: LU177_S,
      weightKg: 80,
    });
    expect(Math.abs(r.decayS - (4 * 3600 + 600))).toBeLessThan(0.1);
  });
  it("rejects acquisition before administration and grams as kg", () => {
    const base = {
      administeredMBq: 7400,
      administrationTime: "2024-05-01T09:00:00Z",
      acquisitionStartTime: "2024-05-01T08:00:00Z",
      acquisitionDurationS: 1200,
      halfLifeS: LU177_S,
      weightKg: 80,
    };
    expect(() => spectSuvbwFactor(base)).toThrow(
      /acquisitionStartTime must not precede administrationTime/,
    );
    expect(() =>
      spectSuvbwFactor({ ...base, acquisitionStartTime: "2024-05-02T08:00:00Z", weightKg: 80000 }),
    ).toThrow(/weightKg must be <= 1000.*got 80000/);
  });
});

describe("applying factors to volumes", () => {
  it("in place on a Float32Array, and into an output for integer input (S1: 12 000 Bq/mL × 2.96075e−4 = 3.5529)", () => {
    const v = new Float32Array([12000, 0, -10]);
    const same = applyScaleFactor(v, 2.96075e-4);
    expect(same).toBe(v);
    expect(v[0]).toBeCloseTo(3.5529, 4);
    const stored = new Int16Array([4800, 100]);
    const out = applyScaleFactor(stored, 2.5, new Float32Array(2));
    expect(out[0]).toBeCloseTo(12000, 3);
  });
  it("per-slice slope/intercept/factor (S5: Philips 1000 × 2.0 × 1.23e−4 = 0.246)", () => {
    const stored = new Uint16Array([1000, 1000, 1000, 1000]);
    const out = applyPerSliceRescale(
      stored,
      2,
      [2.0, 4.0],
      [0, 0],
      [1.23e-4, 1.23e-4],
      new Float32Array(4),
    );
    expect(out[0]).toBeCloseTo(0.246, 6);
    expect(out[3]).toBeCloseTo(0.492, 6);
  });
  it("rejects mismatched lengths and missing output, naming the value", () => {
    expect(() => applyScaleFactor(new Int16Array(3), 1)).toThrow(/out must be given.*Int16Array/);
    expect(() => applyScaleFactor(new Float32Array(3), Number.NaN)).toThrow(
      /factor must be a finite number, got NaN/,
    );
    expect(() =>
      applyPerSliceRescale(new Uint16Array(4), 2, [1], [0], 1, new Float32Array(4)),
    ).toThrow(/slopes.length must equal the number of slices \(2\), got 1/);
  });
});
