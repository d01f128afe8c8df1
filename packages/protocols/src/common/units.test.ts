import { describe, expect, it } from "vitest";
import {
  albuminGPerLToGPerDL,
  cockcroftGaultCrClMLPerMin,
  creatinineUmolPerLToMgPerDL,
  haemoglobinGPerLToGPerDL,
  haemoglobinMmolPerLToGPerDL,
  perMm3ToE9PerL,
} from "../index.js";

describe("unit conversions (prrt-protocols.md §3 helper formulas)", () => {
  it("converts with stated factors", () => {
    expect(haemoglobinGPerLToGPerDL(80)).toBeCloseTo(8.0, 12);
    expect(albuminGPerLToGPerDL(30)).toBeCloseTo(3.0, 12);
    expect(perMm3ToE9PerL(75_000)).toBeCloseTo(75, 12);
    expect(creatinineUmolPerLToMgPerDL(88.4)).toBeCloseTo(1.0, 12);
    // 5.0 mmol/L ≈ 8.0 g/dL in the reference (rounded): within 0.1 g/dL
    expect(Math.abs(haemoglobinMmolPerLToGPerDL(5.0) - 8.0)).toBeLessThan(0.1);
    expect(haemoglobinMmolPerLToGPerDL(5.0)).toBeCloseTo(8.057, 3);
  });
  it("Cockcroft–Gault worked example: woman 65 y, 60 kg, SCr 1.0 mg/dL → 53.125 mL/min", () => {
    expect(
      cockcroftGaultCrClMLPerMin({
        ageYears: 65,
        weightKg: 60,
        serumCreatinineMgPerDL: 1.0,
        sex: "F",
      }),
    ).toBeCloseTo(53.125, 10);
    expect(
      cockcroftGaultCrClMLPerMin({
        ageYears: 65,
        weightKg: 60,
        serumCreatinineMgPerDL: 1.0,
        sex: "M",
      }),
    ).toBeCloseTo(62.5, 10);
  });
  it("bad input names the parameter", () => {
    expect(() => haemoglobinGPerLToGPerDL(-1)).toThrow(/gPerL.*-1/);
    expect(() => perMm3ToE9PerL(Number.NaN)).toThrow(/perMm3/);
    expect(() =>
      cockcroftGaultCrClMLPerMin({
        ageYears: 65,
        weightKg: 0,
        serumCreatinineMgPerDL: 1,
        sex: "F",
      }),
    ).toThrow(/p\.weightKg/);
    expect(() =>
      cockcroftGaultCrClMLPerMin({
        ageYears: 65,
        weightKg: 60,
        serumCreatinineMgPerDL: 1,
        sex: "X" as "F",
      }),
    ).toThrow(/p\.sex.*X/);
    expect(() =>
      cockcroftGaultCrClMLPerMin({
        ageYears: 200,
        weightKg: 60,
        serumCreatinineMgPerDL: 1,
        sex: "F",
      }),
    ).toThrow(/p\.ageYears/);
    expect(() =>
      cockcroftGaultCrClMLPerMin({
        ageYears: 65,
        weightKg: 60,
        serumCreatinineMgPerDL: 0,
        sex: "F",
      }),
    ).toThrow(/serumCreatinineMgPerDL/);
  });
});
