import { describe, expect, it } from "vitest";
import {
  assessSstrPet,
  bestRelativeChange,
  relativeChange,
  SSTR_PET_DEFAULT_POLICY,
} from "./change";

const TOL = 1e-12;

describe("relativeChange – (f − b)/b as used by every criterion (response-criteria.md §1.2, §2, §4.3, §5)", () => {
  it("RECIST worked example: SoD 100 → 68 mm = −32 %; 60 → 73 mm vs nadir = +21.7 %", () => {
    expect(relativeChange(100, 68)! + 0.32).toBeCloseTo(0, 12);
    expect(Math.abs(relativeChange(60, 73)! - 13 / 60)).toBeLessThan(TOL);
  });
  it("SWOG worked example: SOP 1200 → 750 mm² = −37.5 %; PERCIST 5.0 → 3.4 = −32 %", () => {
    expect(Math.abs(relativeChange(1200, 750)! + 0.375)).toBeLessThan(TOL);
    expect(Math.abs(relativeChange(5.0, 3.4)! + 0.32)).toBeLessThan(1e-9);
  });
  it("missing values or a zero baseline give null (no relative change exists)", () => {
    expect(relativeChange(null, 3)).toBeNull();
    expect(relativeChange(3, undefined)).toBeNull();
    expect(relativeChange(0, 3)).toBeNull();
  });
  it("bad input names the parameter and the value", () => {
    expect(() => relativeChange(-1, 2)).toThrow("baseline must be a finite number ≥ 0, got -1");
    expect(() => relativeChange(1, Number.NaN)).toThrow(
      "followUp must be a finite number ≥ 0, got NaN",
    );
  });
});

describe("bestRelativeChange – the waterfall bar (most negative change)", () => {
  it("RECIST worked example timeline −32 %, −40 %, −27 % → best −40 %", () => {
    expect(bestRelativeChange([-0.32, -0.4, -0.27])).toBe(-0.4);
  });
  it("ignores not-evaluable entries; null when nothing is evaluable", () => {
    expect(bestRelativeChange([null, 0.1, null])).toBe(0.1);
    expect(bestRelativeChange([null])).toBeNull();
    expect(bestRelativeChange([])).toBeNull();
  });
  it("names a non-finite entry", () => {
    expect(() => bestRelativeChange([0.1, Number.POSITIVE_INFINITY])).toThrow(
      "changes[1] must be a finite number, got Infinity",
    );
  });
});

describe("assessSstrPet – patient-level SSTR-PET change (response-criteria.md §6.1 + named policy)", () => {
  const m = (suvMax: number, liver = 5, krenning?: 0 | 1 | 2 | 3 | 4) => ({
    suvMax,
    liverSuvMean: liver,
    krenning,
  });
  it("T/L decreases ≥ 30 % in every lesion → DECREASE, with per-lesion numbers in the reasons", () => {
    const r = assessSstrPet([
      { lesionId: "L1", baseline: m(20, 5, 4), followUp: m(12, 5, 3) }, // T/L 4 → 2.4 = −40 %
      { lesionId: "L2", baseline: m(10), followUp: m(6.5) }, // −35 %
    ]);
    expect(r.category).toBe("DECREASE");
    expect(r.reasons[0]!.message).toContain("0 lesion(s) increasing, 2 decreasing, 0 stable of 2");
    expect(r.lesions[0]!.krenningDelta).toBe(-1);
    expect(
      r.reasons.some((x) => x.message.includes("L1: SUVmax 20 → 12 (−40.0 %".replace("−", "-"))),
    ).toBe(true);
  });
  it("T/L corrects a global uptake shift: SUVmax −40 % but liver also −40 % → STABLE", () => {
    const r = assessSstrPet([{ lesionId: "L1", baseline: m(20, 5), followUp: m(12, 3) }]);
    expect(r.category).toBe("STABLE");
    expect(r.reasons.map((x) => x.code)).toContain("SUV_AND_TLR_DISAGREE");
    expect(
      assessSstrPet([{ lesionId: "L1", baseline: m(20, 5), followUp: m(12, 3) }], {
        ...SSTR_PET_DEFAULT_POLICY,
        lesionMeasure: "suvMax",
      }).category,
    ).toBe("DECREASE");
  });
  it("exactly +30 % is an increase (inclusive boundary, as sstrLesionChange); mixed directions → MIXED", () => {
    expect(assessSstrPet([{ lesionId: "L1", baseline: m(10), followUp: m(13) }]).category).toBe(
      "INCREASE",
    );
    expect(
      assessSstrPet([
        { lesionId: "L1", baseline: m(10), followUp: m(13) },
        { lesionId: "L2", baseline: m(10), followUp: m(5) },
      ]).category,
    ).toBe("MIXED");
  });
  it("a new SSTR-avid lesion → INCREASE whatever the others do", () => {
    const r = assessSstrPet([
      { lesionId: "L1", baseline: m(10), followUp: m(2) },
      { lesionId: "N1", baseline: null, followUp: m(9) },
    ]);
    expect(r.category).toBe("INCREASE");
    expect(r.newLesionIds).toEqual(["N1"]);
  });
  it("a lesion not measured at follow-up → NE (never a guess); nothing matched → NE", () => {
    expect(assessSstrPet([{ lesionId: "L1", baseline: m(10), followUp: null }]).category).toBe(
      "NE",
    );
    expect(assessSstrPet([]).category).toBe("NE");
  });
  it("bad measurements name the field", () => {
    expect(() => assessSstrPet([{ lesionId: "L1", baseline: m(0), followUp: m(2) }])).toThrow(
      "baseline.suvMax must be > 0, got 0",
    );
    expect(() => assessSstrPet([{ lesionId: "", baseline: m(1), followUp: m(2) }])).toThrow(
      "lesions[0].lesionId must be a non-empty string",
    );
  });
});

describe("cumulativeAbsorbedDoseGy – Dsum = Σ D (dosimetry.md §8)", () => {
  it("sums per-cycle doses; empty → null; names a bad entry", async () => {
    const { cumulativeAbsorbedDoseGy } = await import("./change");
    expect(Math.abs(cumulativeAbsorbedDoseGy([12.5, 10.1, 8.4])! - 31)).toBeLessThan(1e-9);
    expect(cumulativeAbsorbedDoseGy([])).toBeNull();
    expect(() => cumulativeAbsorbedDoseGy([1, -2])).toThrow(
      "dosesGy[1] must be a finite number ≥ 0, got -2",
    );
  });
});

describe("totalLesionGlycolysis – Σ TLG for the PERCIST TLG rule (response-criteria.md §4.3)", () => {
  it("sums; a missing lesion TLG or no lesion → null; names a bad entry", async () => {
    const { totalLesionGlycolysis } = await import("./change");
    expect(Math.abs(totalLesionGlycolysis([29.8, 10.2])! - 40)).toBeLessThan(1e-9);
    expect(totalLesionGlycolysis([29.8, null])).toBeNull();
    expect(totalLesionGlycolysis([])).toBeNull();
    expect(() => totalLesionGlycolysis([Number.NaN])).toThrow(
      "tlgs[0] must be a finite number ≥ 0, got NaN",
    );
  });
  it("assessSstrPet reports the mean T/L change of matched lesions (waterfall bar)", () => {
    const r = assessSstrPet([
      {
        lesionId: "L1",
        baseline: { suvMax: 20, liverSuvMean: 5 },
        followUp: { suvMax: 12, liverSuvMean: 5 },
      },
      {
        lesionId: "L2",
        baseline: { suvMax: 10, liverSuvMean: 5 },
        followUp: { suvMax: 8, liverSuvMean: 5 },
      },
    ]);
    expect(Math.abs(r.meanChange! - (-0.4 - 0.2) / 2)).toBeLessThan(1e-12);
  });
});
