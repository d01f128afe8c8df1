import { describe, expect, it } from "vitest";
import {
  KRENNING_DEFAULT_POLICY,
  parseSstrRadsCategory,
  SSTR_ELIGIBILITY_ABOVE_LIVER,
  sstrLesionChange,
  sstrUptakeEligibility,
  suggestedKrenningScore,
  type KrenningInput,
} from "./sstr";

const base: KrenningInput = {
  lesionId: "L1",
  lesionUptake: 10,
  liverUptake: 8,
  spleenUptake: 20,
  visible: true,
  modality: "SSTR_PET",
};

describe("suggested Krenning / modified Krenning – response-criteria.md §6.1 pseudo-code", () => {
  it.each([
    [25, 4], // > spleen
    [20, 3], // = spleen, > liver
    [8.1, 3],
    [8, 2], // = liver
    [6.4, 2], // = 0.8 × liver (band edge, inclusive)
    [6.3, 1],
    [0.5, 1],
  ] as const)("SUVmax %f (liver 8, spleen 20) → grade %i", (uptake, grade) => {
    expect(suggestedKrenningScore({ ...base, lesionUptake: uptake }).grade).toBe(grade);
  });
  it("not visible → 0; labelled suggested; PET → 'modified Krenning', planar → 'Krenning'", () => {
    expect(suggestedKrenningScore({ ...base, visible: false }).grade).toBe(0);
    const pet = suggestedKrenningScore(base);
    expect(pet.suggested).toBe(true);
    expect(pet.scale).toBe("modified Krenning");
    expect(suggestedKrenningScore({ ...base, modality: "PLANAR_111IN" }).scale).toBe("Krenning");
    expect(pet.reasons[0]?.message).toBe(
      "L1: uptake 10 > liver 8 → modified Krenning 3 (suggested)",
    );
  });
  it("spleen absent → kidneys are the grade-4 reference; neither → grade 4 not assessable", () => {
    const k = suggestedKrenningScore({
      ...base,
      spleenUptake: null,
      kidneyUptake: 15,
      lesionUptake: 16,
    });
    expect(k.grade).toBe(4);
    expect(k.grade4Reference).toBe("kidneys");
    const none = suggestedKrenningScore({ ...base, spleenUptake: null, lesionUptake: 50 });
    expect(none.grade).toBe(3);
    expect(none.reasons.map((r) => r.code)).toContain("NO_GRADE4_REFERENCE");
  });
  it("band policy is configurable", () => {
    expect(
      suggestedKrenningScore(
        { ...base, lesionUptake: 6.4 },
        { ...KRENNING_DEFAULT_POLICY, liverApproxBandFraction: 0.9 },
      ).grade,
    ).toBe(1);
  });
  it("bad input names the field", () => {
    expect(() => suggestedKrenningScore({ ...base, liverUptake: 0 })).toThrow(
      "liverUptake must be > 0, got 0",
    );
    expect(() => suggestedKrenningScore({ ...base, lesionUptake: -1 })).toThrow(
      "lesionUptake must be ≥ 0, got -1",
    );
    expect(() => suggestedKrenningScore({ ...base, lesionId: "" })).toThrow(
      'lesionId must be a non-empty string, got ""',
    );
  });
});

describe("SSTR uptake eligibility – §6.1 eligibility mapping", () => {
  const lesions = [
    { lesionId: "A", grade: 3 as const },
    { lesionId: "B", grade: 2 as const },
  ];
  it("≥ liver (grade 2, default NETTER-style): eligible; > liver (grade 3): B fails", () => {
    expect(sstrUptakeEligibility(lesions).category).toBe("ELIGIBLE");
    const r = sstrUptakeEligibility(lesions, SSTR_ELIGIBILITY_ABOVE_LIVER);
    expect(r.category).toBe("NOT_ELIGIBLE");
    expect(r.failingLesionIds).toEqual(["B"]);
    expect(r.reasons[0]?.thresholds?.source).toMatch(/Zidan/);
  });
  it("bad input names the field", () => {
    expect(() => sstrUptakeEligibility([])).toThrow(
      "lesions must contain ≥ 1 target lesion, got 0",
    );
    // @ts-expect-error deliberate bad grade
    expect(() => sstrUptakeEligibility([{ lesionId: "A", grade: 5 }])).toThrow(
      "lesions[0].grade must be an integer 0–4, got 5",
    );
  });
});

describe("SSTR change between time points – Krenning / SUVmax / tumour-to-liver (§6.1)", () => {
  it("SUVmax 20 → 12 (−40 %), liver 8 → 6: T/L 2.5 → 2.0 (−20 %, stable) – they disagree", () => {
    const r = sstrLesionChange(
      "L1",
      { suvMax: 20, liverSuvMean: 8, krenning: 4 },
      { suvMax: 12, liverSuvMean: 6, krenning: 3 },
    );
    expect(r.suvMaxChange).toBeCloseTo(-0.4, 12);
    expect(r.tumourToLiverBaseline).toBeCloseTo(2.5, 12);
    expect(r.tumourToLiverFollowUp).toBeCloseTo(2.0, 12);
    expect(r.tumourToLiverChange).toBeCloseTo(-0.2, 12);
    expect(r.direction).toEqual({
      krenning: "decrease",
      suvMax: "decrease",
      tumourToLiver: "stable",
    });
    expect(r.krenningDelta).toBe(-1);
    expect(r.reasons.map((x) => x.code)).toContain("SUV_AND_TLR_DISAGREE");
  });
  it("+30 % exactly is an increase under the default policy", () => {
    expect(
      sstrLesionChange("L1", { suvMax: 10, liverSuvMean: 5 }, { suvMax: 13, liverSuvMean: 5 })
        .direction.suvMax,
    ).toBe("increase");
  });
  it("bad input names the field", () => {
    expect(() =>
      sstrLesionChange("L1", { suvMax: 0, liverSuvMean: 5 }, { suvMax: 1, liverSuvMean: 5 }),
    ).toThrow("baseline.suvMax must be > 0, got 0");
  });
});

describe("SSTR-RADS 1.0 verbatim categories – §6.2", () => {
  it("accepts '3D' (receptor-negative NET-like) and normalises case", () => {
    expect(parseSstrRadsCategory("3d")).toEqual({ category: "3D", receptorNegativeNetLike: true });
    expect(parseSstrRadsCategory("5").receptorNegativeNetLike).toBe(false);
  });
  it("rejects unknown categories naming the value", () => {
    expect(() => parseSstrRadsCategory("6")).toThrow(/got "6"/);
  });
});
