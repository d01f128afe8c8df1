import { describe, expect, it, vi } from "vitest";

// Fail-closed behaviour when the third-party SUV library misbehaves (mocked).
const mockState: { mode: "wrong" | "throw" } = { mode: "wrong" };
vi.mock("@cornerstonejs/calculate-suv", () => ({
  calculateSUVScalingFactors: (instances: unknown[]) => {
    if (mockState.mode === "throw") throw new Error("Decay time cannot be less than zero");
    return instances.map(() => ({ suvbw: 1e-3 }));
  },
}));

const { computeSuvFactors } = await import("./suv-factors.js");

const s1 = {
  Units: "BQML",
  CorrectedImage: ["ATTN", "DECY"],
  DecayCorrection: "START",
  RadionuclideTotalDose: 370000000,
  RadionuclideHalfLife: 6586.2,
  PatientWeight: 75,
  SeriesDate: "20240305",
  SeriesTime: "103000",
  AcquisitionDate: "20240305",
  AcquisitionTime: "103000",
  RadiopharmaceuticalStartTime: "093000",
};

describe("library cross-check (suv.md §4 S1 inputs)", () => {
  it("a library factor that implies a different decay time is refused with LIBRARY_MISMATCH", () => {
    mockState.mode = "wrong";
    const r = computeSuvFactors(s1);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reasons[0]?.code).toBe("LIBRARY_MISMATCH");
      expect(r.reasons[0]?.message).toMatch(/factor 0.001 .* independent computation gives 3600 s/);
    }
  });
  it("a library exception becomes a LIBRARY_ERROR reason carrying its message, not a throw", () => {
    mockState.mode = "throw";
    const r = computeSuvFactors(s1);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reasons[0]?.code).toBe("LIBRARY_ERROR");
      expect(r.reasons[0]?.message).toMatch(/Decay time cannot be less than zero/);
      expect(r.activityConcentrationPerUnit).toBe(1);
    }
  });
});
