import { describe, expect, it } from "vitest";
import {
  assessChoi,
  assessSwogKwekkeboom,
  SWOG_KWEKKEBOOM_DEFAULT_POLICY,
  sumOfProductsMm2,
} from "./swog";
import { recistTargetResponse } from "./recist";

const lesion = (id: string, ld: number | null, pd: number | null) => ({
  lesionId: id,
  longestDiameterMm: ld,
  perpendicularDiameterMm: pd,
});

describe("SWOG/Kwekkeboom worked example – response-criteria.md §2", () => {
  it("40 × 30 = 1200 mm² → 30 × 25 = 750 mm²: −37.5 % → MR", () => {
    const r = assessSwogKwekkeboom({
      baseline: [lesion("L1", 40, 30)],
      current: [lesion("L1", 30, 25)],
      newLesions: false,
    });
    expect(r.referenceSopMm2).toBeCloseTo(1200, 9);
    expect(r.sopMm2).toBeCloseTo(750, 9);
    expect(r.change).toBeCloseTo(-0.375, 12);
    expect(r.category).toBe("MR");
  });
  it("the same lesion by RECIST (40 → 30 mm LD, −25 %) is SD – rule-sets differ", () => {
    expect(
      recistTargetResponse(40, 40, [{ lesionId: "L1", nodal: false, valueMm: 30 }]).category,
    ).toBe("SD");
  });
});

describe("SWOG/Kwekkeboom thresholds (§2 table)", () => {
  const b = [lesion("L1", 40, 25)]; // 1000 mm²
  const run = (ld: number, pd: number, extra = {}) =>
    assessSwogKwekkeboom({
      baseline: b,
      current: [lesion("L1", ld, pd)],
      newLesions: false,
      ...extra,
    });
  it.each([
    [20, 25, "PR"], // 500 = −50 %
    [30, 25, "MR"], // 750 = −25 %
    [31, 25, "SD"], // 775 = −22.5 %
    [49, 25, "SD"], // 1225 = +22.5 %
    [50, 25, "PD"], // 1250 = +25 %
  ] as const)("%d × %d mm → %s", (ld, pd, cat) => {
    expect(run(ld, pd).category).toBe(cat);
  });
  it("minor response corresponds to ≈ 13–29 % shrinkage of each diameter", () => {
    // 13.4 % shrink of both diameters ≈ −25 % area; 29.3 % ≈ −50 %
    expect(run(40 * Math.sqrt(0.75), 25 * Math.sqrt(0.75)).category).toBe("MR");
    expect(run(40 * 0.8, 25 * 0.8).category).toBe("MR"); // 20 % each → −36 %
    expect(run(40 * 0.9, 25 * 0.9).category).toBe("SD"); // 10 % each → −19 %
  });
  it("new lesion → PD; all gone → CR; missing → NE", () => {
    expect(run(20, 20, { newLesions: true }).category).toBe("PD");
    expect(run(0, 0).category).toBe("CR");
    expect(assessSwogKwekkeboom({ baseline: b, current: [], newLesions: false }).category).toBe(
      "NE",
    );
  });
  it("nadir comparator policy uses the smallest prior SOP", () => {
    const r = assessSwogKwekkeboom(
      { baseline: b, current: [lesion("L1", 26, 25)], newLesions: false, priorSopsMm2: [500] },
      { ...SWOG_KWEKKEBOOM_DEFAULT_POLICY, comparator: "nadir" },
    );
    expect(r.referenceSopMm2).toBeCloseTo(500, 9);
    expect(r.category).toBe("PD"); // 650 vs 500 = +30 %
  });
  it("bad input names the field", () => {
    expect(() => sumOfProductsMm2([lesion("L1", -1, 2)])).toThrow(
      "lesions[0].longestDiameterMm must be ≥ 0, got -1",
    );
    expect(() =>
      assessSwogKwekkeboom({ baseline: [lesion("L1", 0, 0)], current: [], newLesions: false }),
    ).toThrow("baseline sum of products must be > 0, got 0");
  });
});

describe("Choi – response-criteria.md §3 example", () => {
  it("SoD −8 %, mean HU 80 → 64 (−20 %) → PR", () => {
    const r = assessChoi({
      baselineSodMm: 100,
      currentSodMm: 92,
      baselineMeanHu: 80,
      currentMeanHu: 64,
      newLesions: false,
      allLesionsGone: false,
    });
    expect(r.category).toBe("PR");
    expect(r.reasons[0]?.values?.huChange).toBeCloseTo(-0.2, 12);
  });
  it("SoD +12 % with stable HU → PD; +12 % with −20 % HU → PR", () => {
    expect(
      assessChoi({
        baselineSodMm: 100,
        currentSodMm: 112,
        baselineMeanHu: 80,
        currentMeanHu: 78,
        newLesions: false,
        allLesionsGone: false,
      }).category,
    ).toBe("PD");
    expect(
      assessChoi({
        baselineSodMm: 100,
        currentSodMm: 112,
        baselineMeanHu: 80,
        currentMeanHu: 64,
        newLesions: false,
        allLesionsGone: false,
      }).category,
    ).toBe("PR");
  });
  it("bad input names the field", () => {
    expect(() =>
      assessChoi({
        baselineSodMm: 0,
        currentSodMm: 1,
        baselineMeanHu: 80,
        currentMeanHu: 64,
        newLesions: false,
        allLesionsGone: false,
      }),
    ).toThrow("baselineSodMm must be > 0, got 0");
  });
});
