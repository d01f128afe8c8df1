import { describe, expect, it } from "vitest";
import {
  bmi,
  bsaDuBoisM2,
  ibwKg,
  lbmJamesKg,
  lbmJanmahasatianKg,
  lbmMorganKg,
  suvbsaFromSuvbw,
  suvbwFromConcentration,
  suvFromSuvbwByMass,
  type Sex,
} from "./body-size.js";

// All reference values: reference/suv.md §4 worked examples S1, S3, S4.
describe("LBM formulas (suv.md §1.1, Example S3)", () => {
  it("male 80 kg 180 cm: BMI 24.691, James 62.716 kg, Janmahasatian 61.731 kg", () => {
    expect(bmi(80, 180)).toBeCloseTo(24.691, 3);
    expect(lbmJamesKg(80, 180, "M")).toBeCloseTo(62.716, 3);
    expect(lbmJanmahasatianKg(80, 180, "M")).toBeCloseTo(61.731, 3);
  });
  it("female 65 kg 165 cm: BMI 23.875, James 46.582 kg, Janmahasatian 41.255 kg", () => {
    expect(bmi(65, 165)).toBeCloseTo(23.875, 3);
    expect(lbmJamesKg(65, 165, "F")).toBeCloseTo(46.582, 3);
    expect(lbmJanmahasatianKg(65, 165, "F")).toBeCloseTo(41.255, 3);
  });
  it("obese male 150 kg 170 cm: James 65.346 kg (< LBM at 124 kg: the James artefact), Janma 77.720 kg", () => {
    expect(lbmJamesKg(150, 170, "M")).toBeCloseTo(65.346, 3);
    expect(lbmJamesKg(150, 170, "M")).toBeLessThan(lbmJamesKg(124, 170, "M"));
    expect(lbmJanmahasatianKg(150, 170, "M")).toBeCloseTo(77.72, 2);
  });
  it("James-128 male peaks at W = 1.1·H²/256 (131.6 kg for 175 cm)", () => {
    const peak = (1.1 * 175 * 175) / 256;
    expect(peak).toBeCloseTo(131.6, 1);
    expect(lbmJamesKg(peak, 175, "M")).toBeGreaterThan(lbmJamesKg(peak - 5, 175, "M"));
    expect(lbmJamesKg(peak, 175, "M")).toBeGreaterThan(lbmJamesKg(peak + 5, 175, "M"));
  });
  it("Morgan (DICOM LBM) differs from James-128 for males only: 88 − 120·(80/180)² = 64.296 kg", () => {
    expect(lbmMorganKg(80, 180, "M")).toBeCloseTo(64.2963, 4);
    expect(lbmMorganKg(65, 165, "F")).toBeCloseTo(lbmJamesKg(65, 165, "F"), 12);
  });
  it("rejects height in metres, weight in grams and unknown sex, naming the value", () => {
    expect(() => lbmJamesKg(80, 1.8, "M")).toThrow(/heightCm must be in \[30, 300\].*got 1.8/);
    expect(() => lbmJamesKg(80000, 180, "M")).toThrow(/weightKg must be <= 1000.*got 80000/);
    expect(() => lbmJamesKg(0, 180, "M")).toThrow(/weightKg must be > 0, got 0/);
    expect(() => lbmJanmahasatianKg(80, 180, "O" as Sex)).toThrow(
      /sex must be "M" or "F", got "O"/,
    );
  });
});

describe("BSA, IBW and SUV variants (suv.md §1, Example S4)", () => {
  it("BSA Du Bois 80 kg 180 cm = 1.99642 m²; SUVbsa for SUVbw 10 = 2.4955 cm²/mL", () => {
    const bsa = bsaDuBoisM2(80, 180);
    expect(bsa).toBeCloseTo(1.99642, 5);
    expect(suvbsaFromSuvbw(10, bsa, 80)).toBeCloseTo(2.4955, 4);
  });
  it("IBW male 180 cm = 77.68 kg, female 165 cm = 57.33 kg", () => {
    expect(ibwKg(180, "M")).toBeCloseTo(77.68, 2);
    expect(ibwKg(165, "F")).toBeCloseTo(57.33, 2);
  });
  it("S3: SUVbw 10 → SUL_James 7.8395, SUL_Janma 7.7164", () => {
    expect(suvFromSuvbwByMass(10, lbmJamesKg(80, 180, "M"), 80)).toBeCloseTo(7.8395, 4);
    expect(suvFromSuvbwByMass(10, lbmJanmahasatianKg(80, 180, "M"), 80)).toBeCloseTo(7.7164, 4);
  });
  it("S1: 12 000 Bq/mL, 253 314 180 Bq at scan, 75 kg → SUVbw 3.5529", () => {
    expect(suvbwFromConcentration(12000, 253314180, 75)).toBeCloseTo(3.5529, 4);
  });
  it("rejects a zero activity naming the value", () => {
    expect(() => suvbwFromConcentration(1, 0, 70)).toThrow(/activityBq must be > 0, got 0/);
    expect(() => suvbsaFromSuvbw(1, -2, 70)).toThrow(/bsaM2 must be > 0, got -2/);
  });
});
