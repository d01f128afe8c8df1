import { describe, expect, it } from "vitest";
import { getNuclide, halfLifeS, NUCLIDES } from "./nuclides.js";
import * as conv from "./convert.js";

describe("nuclide table (radionuclides.md §2, 'T½ in s (derived)' column)", () => {
  const expected: [string, number, number][] = [
    ["68Ga", 4062.6, 0.1],
    ["18F", 6586.2, 0.1],
    ["64Cu", 45721.4, 0.1],
    ["111In", 242326, 1],
    ["99mTc", 21624, 1],
    ["123I", 47604, 1],
    ["11C", 1223.1, 0.1],
    ["177Lu", 574300.8, 0.1],
    ["90Y", 230580, 1],
    ["225Ac", 857088, 1],
    ["212Pb", 38304, 1],
    ["161Tb", 595296, 1],
  ];
  it.each(expected)("%s half-life ≈ %f s", (id, s, tol) => {
    expect(Math.abs(halfLifeS(id) - s)).toBeLessThanOrEqual(tol);
  });
  it("every entry has a source citing the reference and a positive half-life", () => {
    for (const n of Object.values(NUCLIDES)) {
      expect(n.halfLifeS).toBeGreaterThan(0);
      expect(n.source).toContain("radionuclides.md");
      if (n.uncertaintyS !== null) expect(n.uncertaintyS).toBeLessThan(n.halfLifeS * 0.01);
    }
  });
  it("68Ga keeps the DDEP alternative 4069.8 s", () => {
    expect(getNuclide("Ga-68").alternatives[0]?.halfLifeS).toBeCloseTo(4069.8, 6);
  });
  it("accepts common spellings", () => {
    expect(getNuclide("Lu-177").id).toBe("177Lu");
    expect(getNuclide("lu177").id).toBe("177Lu");
    expect(getNuclide("Tc-99m").id).toBe("99mTc");
  });
  it("rejects unknown nuclides naming the value", () => {
    expect(() => getNuclide("Xx-999")).toThrow(/got "Xx-999"/);
  });
});

describe("unit conversions", () => {
  it("7.4 GBq = 7400 MBq = 200 mCi (1 mCi = 37 MBq exactly)", () => {
    expect(conv.gbqToMbq(7.4)).toBeCloseTo(7400, 9);
    expect(conv.gbqToMci(7.4)).toBeCloseTo(200, 9);
    expect(conv.mbqToMci(7400)).toBeCloseTo(200, 9);
    expect(conv.mciToMbq(200)).toBeCloseTo(7400, 9);
    expect(conv.mciToGbq(200)).toBeCloseTo(7.4, 12);
    expect(conv.mbqToGbq(7400)).toBeCloseTo(7.4, 12);
  });
  it("Bq/MBq and Bq/mL/kBq/mL round-trip", () => {
    expect(conv.mbqToBq(370)).toBeCloseTo(3.7e8, 3);
    expect(conv.bqToMbq(3.7e8)).toBeCloseTo(370, 9);
    expect(conv.bqPerMlToKbqPerMl(12000)).toBeCloseTo(12, 12);
    expect(conv.kbqPerMlToBqPerMl(12)).toBeCloseTo(12000, 9);
  });
  it("rejects non-finite input naming the parameter", () => {
    expect(() => conv.mbqToGbq(Number.NaN)).toThrow(/activityMBq must be a finite number, got NaN/);
  });
});
