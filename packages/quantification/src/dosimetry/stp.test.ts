import { describe, expect, it } from "vitest";
import { hanscheidApproximationRatio, hanscheidTia, madsenTia } from "./stp";
import { fitMonoExponential } from "./tac";

const LU_S = 574_300.8;

describe("Hänscheid STP – dosimetry.md §9 Example D2 and §3.4 table", () => {
  it("Ã ≈ 60 × 2 × 96 / ln2 = 16 619.8 MBq·h (+5.83 % vs Example D1)", () => {
    const tia = hanscheidTia(60, 96);
    expect(tia).toBeCloseTo(16619.8, 1);
    const exact = fitMonoExponential([24, 96, 168], [120, 60, 30], LU_S).tiaMBqH;
    expect((tia - exact) / exact).toBeCloseTo(0.0583, 4);
    // D ≈ Ã × 0.24589 mGy/(MBq·h) = 4086.7 mGy
    expect(tia * 0.24589).toBeCloseTo(4086.7, 0);
  });
  it.each([
    [0.4, 0.884],
    [0.5, 1.0],
    [0.6, 1.05],
    [Math.LN2, 1.061],
    [0.75, 1.058],
    [1.0, 1.0],
    [1.25, 0.919],
    [1.3, 0.903],
    [1.5, 0.84],
    [2.0, 0.707],
  ])("approx/exact at T_eff/t = %f is %f", (ratio, expected) => {
    expect(hanscheidApproximationRatio(ratio * 96, 96)).toBeCloseTo(expected, 3);
  });
  it("ratio equals Hänscheid Ã / exact mono-exponential Ã (consistency)", () => {
    const teff = 55;
    const t = 96;
    const a = 80 * 2 ** (-t / teff);
    const exact = (80 * teff) / Math.LN2;
    expect(hanscheidTia(a, t) / exact).toBeCloseTo(hanscheidApproximationRatio(teff, t), 12);
  });
  it("within ±10 % for T_eff/t ≈ 0.41–1.31 (§3.4; bounds rounded: exact ≈ 0.411–1.307)", () => {
    expect(Math.abs(hanscheidApproximationRatio(0.415 * 96, 96) - 1)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(hanscheidApproximationRatio(1.3 * 96, 96) - 1)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(hanscheidApproximationRatio(0.4 * 96, 96) - 1)).toBeGreaterThan(0.1);
    expect(Math.abs(hanscheidApproximationRatio(1.32 * 96, 96) - 1)).toBeGreaterThan(0.1);
  });
  it("bad input names the parameter", () => {
    expect(() => hanscheidTia(-1, 96)).toThrow("activityMBq must be ≥ 0, got -1");
    expect(() => hanscheidTia(60, 0)).toThrow("timeH must be > 0, got 0");
    expect(() => hanscheidApproximationRatio(0, 96)).toThrow(
      "effectiveHalfLifeH must be > 0, got 0",
    );
  });
});

describe("Madsen STP – dosimetry.md §9 Example D3", () => {
  it("T_pop = 60 h, 96 h point: Ã = 15 744.4 MBq·h (+0.25 % vs D1)", () => {
    const tia = madsenTia(60, 96, 60);
    expect(tia).toBeCloseTo(15744.4, 1);
    expect((tia - 15704.8) / 15704.8).toBeCloseTo(0.0025, 4);
  });
  it("with the patient's true T_eff it is exact (cycle-1 T_eff variant)", () => {
    expect(madsenTia(60, 96, 72)).toBeCloseTo(15704.8, 0);
  });
  it("bad input names the parameter", () => {
    expect(() => madsenTia(60, 96, -5)).toThrow("effectiveHalfLifeH must be > 0, got -5");
    expect(() => madsenTia(60, -1, 60)).toThrow("timeH must be ≥ 0, got -1");
  });
});
