import { calculateSUVScalingFactors, type InstanceMetadata } from "@cornerstonejs/calculate-suv";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { computeSuvFactors } from "./suv-factors.js";

/*
 * Pins the behaviour of @cornerstonejs/calculate-suv 1.1.0 that computeSuvFactors works around
 * (see the package README). If an upgrade fixes one of these, the matching test fails: revisit the
 * workaround then. Inputs: reference/suv.md §4 Example S1 (expected factor 2.960750e−4).
 */
const S1: InstanceMetadata = {
  CorrectedImage: ["ATTN", "DECY"],
  Units: "BQML",
  RadionuclideHalfLife: 6586.2,
  RadionuclideTotalDose: 370000000,
  DecayCorrection: "START",
  PatientWeight: 75,
  SeriesDate: "20240305",
  SeriesTime: "103000",
  AcquisitionDate: "20240305",
  AcquisitionTime: "103000",
  RadiopharmaceuticalStartTime: "093000",
};

beforeEach(() => {
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("calculate-suv 1.1.0 known defects", () => {
  it("agrees with suv.md Example S1 on the plain BQML/START path", () => {
    const f = calculateSUVScalingFactors([S1])[0]!.suvbw;
    expect(Math.abs(f - 2.96075e-4) / 2.96075e-4).toBeLessThan(1e-6);
  });
  it("its InstanceMetadata objects are accepted by computeSuvFactors (PetSuvMetadata is structurally compatible)", () => {
    const r = computeSuvFactors([S1]);
    expect(r.ok && Math.abs(r.suvbw - 2.96075e-4) / 2.96075e-4 < 1e-6).toBe(true);
  });
  it("ignores DecayCorrection ADMIN (still decays the dose to the scan time)", () => {
    const f = calculateSUVScalingFactors([{ ...S1, DecayCorrection: "ADMIN" }])[0]!.suvbw;
    expect(Math.abs(f - 2.96075e-4) / 2.96075e-4).toBeLessThan(1e-6); // correct would be 75 000 / 370e6 = 2.027e−4
  });
  it("throws on an injection before midnight with only Radiopharmaceutical Start Time (suv.md Example S2)", () => {
    expect(() =>
      calculateSUVScalingFactors([
        {
          ...S1,
          SeriesDate: "20240306",
          SeriesTime: "003500",
          AcquisitionDate: "20240306",
          AcquisitionTime: "003500",
          RadiopharmaceuticalStartTime: "234000",
        },
      ]),
    ).toThrow(/Decay time cannot be less than zero/);
  });
  it('labels as LBM "James" the 120-constant (Morgan) formula: male 80 kg 1.80 m → 64.296 kg, not 62.716', () => {
    const r = calculateSUVScalingFactors([
      { ...S1, PatientSize: 1.8, PatientSex: "M", PatientWeight: 80 },
    ])[0]!;
    const lbmG = (r.suvlbm! / r.suvbw) * 80000;
    expect(lbmG / 1000).toBeCloseTo(64.2963, 3);
  });
  it("throws for Patient's Sex O when a size is present, losing SUVbw too", () => {
    expect(() =>
      calculateSUVScalingFactors([{ ...S1, PatientSize: 1.8, PatientSex: "O" }]),
    ).toThrow(/PatientSex is an invalid value/);
  });
  it("pads fractional seconds on the wrong side: start time 09:30:00.05 is read as 09:30:00.5", () => {
    const exact = calculateSUVScalingFactors([S1])[0]!.suvbw;
    const f = calculateSUVScalingFactors([{ ...S1, RadiopharmaceuticalStartTime: "093000.05" }])[0]!
      .suvbw;
    // implied shift of the injection time in seconds (later injection → larger dose at scan → smaller factor)
    const shiftS = 6586.2 * Math.log2(exact / f);
    expect(shiftS).toBeCloseTo(0.5, 6); // correct would be 0.05 s
  });
});
