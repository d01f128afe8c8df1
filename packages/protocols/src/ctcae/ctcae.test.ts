import { describe, expect, it } from "vitest";
import {
  gradeAltIncreased,
  gradeAnaemia,
  gradeAstIncreased,
  gradeBilirubinIncreased,
  gradeChronicKidneyDisease,
  gradeCreatinineIncreased,
  gradeHypoalbuminaemia,
  gradeLymphocyteCountDecreased,
  gradeNeutrophilCountDecreased,
  gradePlateletCountDecreased,
  gradeWhiteBloodCellDecreased,
} from "../index.js";

// prrt-protocols.md §4 table, boundary convention "< 75 000 – 50 000" means 50 000 ≤ x < 75 000.
describe("decreased counts (prrt-protocols.md §4, CTCAE v5.0)", () => {
  it.each([
    // platelets ×10⁹/L, LLN 150
    [gradePlateletCountDecreased, 150, 150, 0],
    [gradePlateletCountDecreased, 149.9, 150, 1],
    [gradePlateletCountDecreased, 75, 150, 1],
    [gradePlateletCountDecreased, 74.9, 150, 2],
    [gradePlateletCountDecreased, 50, 150, 2],
    [gradePlateletCountDecreased, 49.9, 150, 3],
    [gradePlateletCountDecreased, 25, 150, 3],
    [gradePlateletCountDecreased, 24.9, 150, 4],
    [gradePlateletCountDecreased, 0, 150, 4],
    // neutrophils, LLN 2.0
    [gradeNeutrophilCountDecreased, 2.0, 2.0, 0],
    [gradeNeutrophilCountDecreased, 1.99, 2.0, 1],
    [gradeNeutrophilCountDecreased, 1.5, 2.0, 1],
    [gradeNeutrophilCountDecreased, 1.49, 2.0, 2],
    [gradeNeutrophilCountDecreased, 1.0, 2.0, 2],
    [gradeNeutrophilCountDecreased, 0.99, 2.0, 3],
    [gradeNeutrophilCountDecreased, 0.5, 2.0, 3],
    [gradeNeutrophilCountDecreased, 0.49, 2.0, 4],
    // WBC, LLN 4.0
    [gradeWhiteBloodCellDecreased, 4.0, 4.0, 0],
    [gradeWhiteBloodCellDecreased, 3.99, 4.0, 1],
    [gradeWhiteBloodCellDecreased, 3.0, 4.0, 1],
    [gradeWhiteBloodCellDecreased, 2.99, 4.0, 2],
    [gradeWhiteBloodCellDecreased, 2.0, 4.0, 2],
    [gradeWhiteBloodCellDecreased, 1.99, 4.0, 3],
    [gradeWhiteBloodCellDecreased, 1.0, 4.0, 3],
    [gradeWhiteBloodCellDecreased, 0.99, 4.0, 4],
    // lymphocytes, LLN 1.0
    [gradeLymphocyteCountDecreased, 1.0, 1.0, 0],
    [gradeLymphocyteCountDecreased, 0.99, 1.0, 1],
    [gradeLymphocyteCountDecreased, 0.8, 1.0, 1],
    [gradeLymphocyteCountDecreased, 0.79, 1.0, 2],
    [gradeLymphocyteCountDecreased, 0.5, 1.0, 2],
    [gradeLymphocyteCountDecreased, 0.49, 1.0, 3],
    [gradeLymphocyteCountDecreased, 0.2, 1.0, 3],
    [gradeLymphocyteCountDecreased, 0.19, 1.0, 4],
  ] as const)("%o(%d, LLN %d) → grade %d", (fn, x, lln, g) => {
    const r = fn(x, lln);
    expect(r.grade).toBe(g);
    expect(r.source).toMatch(/prrt-protocols\.md §4/);
    expect(r.rule).toMatch(new RegExp(`grade ${g}`));
  });
  it("reference pseudo-code example: 74 999/mm³ → grade 2, rule names the band", () => {
    const r = gradePlateletCountDecreased(74.999, 150);
    expect(r.grade).toBe(2);
    expect(r.rule).toBe("50 ≤ x < 75 ×10⁹/L → grade 2");
  });
  it("LLN below the grade-1 cut-off leaves no grade-1 band", () => {
    expect(gradePlateletCountDecreased(80, 70).grade).toBe(0);
    expect(gradePlateletCountDecreased(74, 70).grade).toBe(2);
  });
  it("bad input names the parameter and value", () => {
    expect(() => gradePlateletCountDecreased(-1, 150)).toThrow(/plateletsE9PerL.*-1/);
    expect(() => gradePlateletCountDecreased(100, 0)).toThrow(/llnE9PerL.*0/);
    expect(() => gradeNeutrophilCountDecreased(Number.NaN, 2)).toThrow(RangeError);
    expect(() => gradeWhiteBloodCellDecreased("3" as unknown as number, 4)).toThrow(TypeError);
    expect(() => gradeLymphocyteCountDecreased(1, Number.POSITIVE_INFINITY)).toThrow(/llnE9PerL/);
  });
});

describe("anaemia and hypoalbuminaemia (g/dL)", () => {
  it.each([
    [12.0, 12.0, 0],
    [11.9, 12.0, 1],
    [10.0, 12.0, 1],
    [9.99, 12.0, 2],
    [8.0, 12.0, 2],
    [7.99, 12.0, 3],
    [3.0, 12.0, 3],
  ])("Hb %d g/dL (LLN %d) → grade %d; grade 4 never from the lab", (x, lln, g) => {
    expect(gradeAnaemia(x, lln).grade).toBe(g);
  });
  it.each([
    [3.5, 3.5, 0],
    [3.49, 3.5, 1],
    [3.0, 3.5, 1],
    [2.99, 3.5, 2],
    [2.0, 3.5, 2],
    [1.99, 3.5, 3],
  ])("albumin %d g/dL (LLN %d) → grade %d", (x, lln, g) => {
    expect(gradeHypoalbuminaemia(x, lln).grade).toBe(g);
  });
  it("bad input", () => {
    expect(() => gradeAnaemia(-0.1, 12)).toThrow(/haemoglobinGPerDL/);
    expect(() => gradeHypoalbuminaemia(3, -1)).toThrow(/llnGPerDL/);
  });
});

describe("creatinine increased (ULN and baseline clauses)", () => {
  it.each([
    [1.2, 1.2, undefined, 0],
    [1.21, 1.2, undefined, 1],
    [1.8, 1.2, undefined, 1], // exactly 1.5 × ULN (1.2 × 1.5 = 1.7999999999999998 in floating point)
    [1.81, 1.2, undefined, 2],
    [3.6, 1.2, undefined, 2],
    [3.61, 1.2, undefined, 3],
    [7.2, 1.2, undefined, 3],
    [7.21, 1.2, undefined, 4],
  ] as const)("%d (ULN %d) → grade %d", (x, uln, base, g) => {
    expect(gradeCreatinineIncreased(x, uln, base).grade).toBe(g);
  });
  it("baseline clauses raise the grade when higher: > 1.5 × baseline → 2, > 3 × baseline → 3", () => {
    expect(gradeCreatinineIncreased(1.0, 1.2, 0.6).grade).toBe(2); // 1.67 × baseline, within ULN
    expect(gradeCreatinineIncreased(0.9, 1.2, 0.6).grade).toBe(0); // exactly 1.5 × baseline
    expect(gradeCreatinineIncreased(1.81, 1.2, 0.6).grade).toBe(3);
    expect(gradeCreatinineIncreased(1.81, 1.2, 0.6).rule).toBe("x > 3.0 × baseline → grade 3");
    expect(gradeCreatinineIncreased(7.3, 1.2, 0.6).grade).toBe(4); // ULN clause wins
  });
  it("bad input", () => {
    expect(() => gradeCreatinineIncreased(1, 0)).toThrow(/uln/);
    expect(() => gradeCreatinineIncreased(1, 1, -1)).toThrow(/baseline.*-1/);
  });
});

describe("bilirubin increased", () => {
  it.each([
    [1.0, 1.0, 0],
    [1.01, 1.0, 1],
    [1.5, 1.0, 1],
    [1.51, 1.0, 2],
    [3.0, 1.0, 2],
    [3.01, 1.0, 3],
    [10.0, 1.0, 3],
    [10.01, 1.0, 4],
  ])("%d (ULN %d, baseline normal) → grade %d", (x, uln, g) => {
    expect(gradeBilirubinIncreased(x, uln).grade).toBe(g);
  });
  it("abnormal baseline grades relative to baseline", () => {
    expect(gradeBilirubinIncreased(2.0, 1.0, 2.0).grade).toBe(0);
    expect(gradeBilirubinIncreased(2.1, 1.0, 2.0).grade).toBe(1);
    expect(gradeBilirubinIncreased(3.0, 1.0, 2.0).grade).toBe(1);
    expect(gradeBilirubinIncreased(3.1, 1.0, 2.0).grade).toBe(2);
    expect(gradeBilirubinIncreased(6.1, 1.0, 2.0).grade).toBe(3);
    expect(gradeBilirubinIncreased(20.1, 1.0, 2.0).grade).toBe(4);
    // a normal baseline uses ULN
    expect(gradeBilirubinIncreased(1.6, 1.0, 0.5).grade).toBe(2);
  });
});

describe("ALT / AST increased (CTCAE v5.0 via ctcae5_grader; not in the reference table)", () => {
  it.each([
    [40, 0],
    [41, 1],
    [120, 1],
    [121, 2],
    [200, 2],
    [201, 3],
    [800, 3],
    [801, 4],
  ])("ALT %d U/L (ULN 40) → grade %d", (x, g) => {
    expect(gradeAltIncreased(x, 40).grade).toBe(g);
    expect(gradeAstIncreased(x, 40).grade).toBe(g);
  });
  it("abnormal baseline: grade 1 starts above 1.5 × baseline", () => {
    expect(gradeAltIncreased(120, 40, 80).grade).toBe(0);
    expect(gradeAltIncreased(121, 40, 80).grade).toBe(1);
    expect(gradeAltIncreased(241, 40, 80).grade).toBe(2);
    expect(gradeAltIncreased(401, 40, 80).grade).toBe(3);
    expect(gradeAltIncreased(1601, 40, 80).grade).toBe(4);
    expect(gradeAstIncreased(10, 40).source).toMatch(/not tabulated/);
  });
  it("bad input names the parameter", () => {
    expect(() => gradeAltIncreased(-5, 40)).toThrow(/altUPerL.*-5/);
    expect(() => gradeAstIncreased(Number.NaN, 40)).toThrow(/astUPerL/);
  });
});

describe("chronic kidney disease from eGFR (CTCAE v5.0, unverified here)", () => {
  it.each([
    [90, 0],
    [89.9, 1],
    [60, 1],
    [59.9, 2],
    [30, 2],
    [29.9, 3],
    [15, 3],
    [14.9, 4],
  ])("eGFR %d → grade %d", (x, g) => {
    const r = gradeChronicKidneyDisease(x);
    expect(r.grade).toBe(g);
    expect(r.source).toMatch(/unverified/);
  });
  it("custom LLN and bad input", () => {
    expect(gradeChronicKidneyDisease(70, 60).grade).toBe(0);
    expect(() => gradeChronicKidneyDisease(-1)).toThrow(/egfrMLPerMinPer173m2/);
  });
});
