import { describe, expect, it } from "vitest";
import {
  bedGy,
  doseForBedGy,
  eqd2Gy,
  KIDNEY_LQ,
  leaCatchesideFactor,
  multiCycleBedGy,
} from "./bed";

describe("kidney BED – dosimetry.md §9 Example D6", () => {
  it("G = 2.8/74.8 = 0.037433", () => {
    expect(leaCatchesideFactor(2.8, 72)).toBeCloseTo(0.037433, 6);
  });
  it("BED = 3.8617 × (1 + 3.8617/2.6 × 0.037433) = 4.0764 Gy", () => {
    expect(bedGy(3.8617, 72, KIDNEY_LQ)).toBeCloseTo(4.0764, 4);
  });
  it("4 identical cycles: absorbed 15.447 Gy, BED 16.305 Gy", () => {
    const cycles = Array.from({ length: 4 }, () => ({ doseGy: 3.8617, effectiveHalfLifeH: 72 }));
    expect(cycles.reduce((s, c) => s + c.doseGy, 0)).toBeCloseTo(15.447, 3);
    // reference displays 16.305; exact 4 × 4.07640 = 16.3056 → relative tolerance 1e-4
    expect(Math.abs(multiCycleBedGy(cycles) - 16.305) / 16.305).toBeLessThan(1e-4);
  });
  it("EQD2 (one cycle) = 4.0764/(1 + 2/2.6) = 2.3040 Gy", () => {
    expect(Math.abs(eqd2Gy(4.0764, 2.6) - 2.304) / 2.304).toBeLessThan(5e-5);
  });
  it("invariants: BED ≥ D; fractionation (4 cycles) gives less BED than one dose of the sum", () => {
    expect(bedGy(5, 40)).toBeGreaterThan(5);
    expect(bedGy(0, 40)).toBe(0);
    const four = multiCycleBedGy(
      Array.from({ length: 4 }, () => ({ doseGy: 5, effectiveHalfLifeH: 40 })),
    );
    expect(four).toBeLessThan(bedGy(20, 40));
  });
  it("doseForBedGy inverts bedGy (quadratic root, §8)", () => {
    for (const d of [0.5, 3.8617, 12, 30]) {
      expect(doseForBedGy(bedGy(d, 50), 50)).toBeCloseTo(d, 9);
    }
    expect(doseForBedGy(-1, 50)).toBe(0);
  });
  it("bad input names the parameter", () => {
    expect(() => bedGy(-1, 72)).toThrow("doseGy must be ≥ 0, got -1");
    expect(() => bedGy(1, 0)).toThrow("effectiveHalfLifeH must be > 0, got 0");
    expect(() => bedGy(1, 72, { alphaBetaGy: 0, repairHalfTimeH: 2.8 })).toThrow(
      "alphaBetaGy must be > 0, got 0",
    );
    expect(() => multiCycleBedGy([{ doseGy: 1, effectiveHalfLifeH: -2 }])).toThrow(
      "cycles[0].effectiveHalfLifeH must be > 0, got -2",
    );
    expect(() => eqd2Gy(1, -2.6)).toThrow("alphaBetaGy must be > 0, got -2.6");
  });
});
