import { describe, expect, it } from "vitest";
import {
  assessPercist,
  PERCIST_DEFAULT_POLICY,
  percistMeasurabilityThreshold,
  percistQualityGate,
  percistSumOfHottest,
  type PercistTimePoint,
} from "./percist";

/** Synthetic fixture: liver SULmean 1.0, SD 0.1 → threshold 1.7, so the worked-example lesions are measurable. */
function pet(sulPeaks: number[], extra: Partial<PercistTimePoint> = {}): PercistTimePoint {
  return {
    uptakeTimeMin: 60,
    liver: { sulMean: 1.0, sulSd: 0.1 },
    lesions: sulPeaks.map((s, i) => ({ lesionId: `L${i + 1}`, sulPeak: s })),
    newLesions: false,
    ...extra,
  };
}

describe("PERCIST worked examples – response-criteria.md §4.3", () => {
  it("baseline SULpeak 5.0 → 3.4: −32 %, −1.6 → PMR", () => {
    const r = assessPercist(pet([5.0]), pet([3.4]));
    expect(r.category).toBe("PMR");
    expect(r.relativeChange).toBeCloseTo(-0.32, 12);
    expect(r.absoluteChangeSul).toBeCloseTo(-1.6, 12);
  });
  it("baseline 2.2 → 1.5: −31.8 % but only −0.7 SUL → SMD", () => {
    const r = assessPercist(pet([2.2]), pet([1.5]));
    expect(r.category).toBe("SMD");
    expect(r.relativeChange).toBeCloseTo(-0.318, 3);
    expect(r.absoluteChangeSul).toBeCloseTo(-0.7, 12);
    expect(r.reasons.at(-1)?.message).toMatch(/not ≥ 0.8 SUL/);
  });
  it("baseline 4.0 → 5.3: +32.5 %, +1.3 → PMD", () => {
    const r = assessPercist(pet([4.0]), pet([5.3]));
    expect(r.category).toBe("PMD");
    expect(r.relativeChange).toBeCloseTo(0.325, 12);
  });
  it("liver SULmean 1.8, SD 0.25 → threshold 3.2; a lesion with SULpeak 3.0 is not measurable", () => {
    const tp = pet([3.0], { liver: { sulMean: 1.8, sulSd: 0.25 } });
    expect(percistMeasurabilityThreshold(tp).thresholdSul).toBeCloseTo(3.2, 12);
    const r = assessPercist(tp, pet([3.0], { liver: { sulMean: 1.8, sulSd: 0.25 } }));
    expect(r.category).toBe("NE");
    expect(r.neReason).toBe("no-measurable-baseline-lesion");
  });
});

describe("PERCIST §4.2–4.3 rules and edge cases", () => {
  it("blood-pool threshold 2.0 × mean + 2 SD when the liver is abnormal; missing blood pool throws", () => {
    expect(
      percistMeasurabilityThreshold({
        liver: { sulMean: 3, sulSd: 1 },
        liverAbnormal: true,
        bloodPool: { sulMean: 1.2, sulSd: 0.15 },
      }).thresholdSul,
    ).toBeCloseTo(2.7, 12);
    expect(() =>
      percistMeasurabilityThreshold({ liver: { sulMean: 3, sulSd: 1 }, liverAbnormal: true }),
    ).toThrow("bloodPool must be given when liverAbnormal is true, got undefined");
  });
  it("hottest lesion at follow-up may be a different lesion", () => {
    const r = assessPercist(pet([5.0, 2.0]), pet([1.5, 4.0]));
    expect(r.baselineHottest?.lesionId).toBe("L1");
    expect(r.followUpHottest?.lesionId).toBe("L2");
    expect(r.relativeChange).toBeCloseTo(-0.2, 12);
    expect(r.category).toBe("SMD");
  });
  it("new lesions → PMD (also when no measurable baseline lesion)", () => {
    expect(assessPercist(pet([5.0]), pet([2.0], { newLesions: true })).category).toBe("PMD");
    expect(assessPercist(pet([1.2]), pet([1.2], { newLesions: true })).category).toBe("PMD");
  });
  it("CMR when all follow-up lesions ≤ liver SULmean (computed) or the reader says so", () => {
    expect(assessPercist(pet([5.0]), pet([0.9])).category).toBe("CMR");
    expect(assessPercist(pet([5.0]), pet([])).category).toBe("CMR");
    expect(
      assessPercist(pet([5.0]), pet([1.2], { allLesionsResolvedToBackground: true })).category,
    ).toBe("CMR");
    expect(
      assessPercist(pet([5.0]), pet([0.9], { allLesionsResolvedToBackground: false })).category,
    ).toBe("PMR");
  });
  it("TLG ≥ +75 % without SUL decline → PMD", () => {
    const r = assessPercist(pet([4.0], { tlg: 100 }), pet([4.2], { tlg: 180 }));
    expect(r.category).toBe("PMD");
    expect(r.reasons.at(-1)?.code).toBe("PMD_TLG_INCREASE");
  });
  it("non-target progression blocks PMR → SMD", () => {
    const r = assessPercist(pet([5.0]), pet([3.4], { nonTargetProgression: true }));
    expect(r.category).toBe("SMD");
  });
  it("boundary policy: exactly +30 % and +0.9 SUL → PMD inclusive (default), SMD exclusive", () => {
    expect(assessPercist(pet([3.0]), pet([3.9])).category).toBe("PMD");
    expect(
      assessPercist(pet([3.0]), pet([3.9]), { ...PERCIST_DEFAULT_POLICY, pmdBoundary: "exclusive" })
        .category,
    ).toBe("SMD");
  });
  it("exact boundary robust to binary rounding: 2.7 → 3.51 (+30 %, +0.81 SUL; computes as 0.29999999999999985)", () => {
    expect((3.51 - 2.7) / 2.7).toBeLessThan(0.3); // the raw float is just below the boundary
    expect(assessPercist(pet([2.7]), pet([3.51])).category).toBe("PMD");
  });
  it("boundary policy: exactly −30 % and −0.9 SUL → PMR inclusive (default), SMD exclusive", () => {
    expect(assessPercist(pet([3.0]), pet([2.1])).category).toBe("PMR");
    expect(
      assessPercist(pet([3.0]), pet([2.1]), { ...PERCIST_DEFAULT_POLICY, pmrBoundary: "exclusive" })
        .category,
    ).toBe("SMD");
  });
  it("SSTR tracer is labelled off-label", () => {
    const r = assessPercist(pet([5.0], { tracer: "SSTR" }), pet([3.4], { tracer: "SSTR" }));
    expect(r.reasons[0]?.code).toBe("OFF_LABEL_TRACER");
    expect(r.category).toBe("PMR");
  });
});

describe("PERCIST quality gates – §4.1", () => {
  it("uptake-time difference ≥ 15 min → NE (quality)", () => {
    const r = assessPercist(pet([5.0]), pet([3.4], { uptakeTimeMin: 75 }));
    expect(r.category).toBe("NE");
    expect(r.neReason).toBe("quality");
    expect(r.reasons[0]?.code).toBe("QUALITY_UPTAKE_TIME");
    expect(percistQualityGate(pet([5]), pet([5], { uptakeTimeMin: 74 })).ok).toBe(true);
  });
  it("liver reference must be within 20 % AND < 0.3 SUL", () => {
    // 2.0 → 2.35: +17.5 % but Δ 0.35 SUL ≥ 0.3 → fails
    const a = percistQualityGate(
      pet([5], { liver: { sulMean: 2.0, sulSd: 0.2 } }),
      pet([5], { liver: { sulMean: 2.35, sulSd: 0.2 } }),
    );
    expect(a.ok).toBe(false);
    expect(a.reasons[0]?.code).toBe("QUALITY_LIVER_REFERENCE_UNSTABLE");
    // 1.0 → 1.25: Δ 0.25 SUL but +25 % → fails
    expect(
      percistQualityGate(pet([5]), pet([5], { liver: { sulMean: 1.25, sulSd: 0.1 } })).ok,
    ).toBe(false);
    // 1.0 → 1.15: passes
    expect(
      percistQualityGate(pet([5]), pet([5], { liver: { sulMean: 1.15, sulSd: 0.1 } })).ok,
    ).toBe(true);
  });
  it("uptake outside the nominal 50–70 min window is a warning, not NE", () => {
    const r = assessPercist(pet([5.0], { uptakeTimeMin: 80 }), pet([3.4], { uptakeTimeMin: 85 }));
    expect(r.category).toBe("PMR");
    expect(r.reasons.filter((x) => x.code === "WARNING_UPTAKE_OUTSIDE_NOMINAL")).toHaveLength(2);
  });
  it("different scanner → NE (quality)", () => {
    const r = assessPercist(pet([5.0], { scannerId: "A" }), pet([3.4], { scannerId: "B" }));
    expect(r.neReason).toBe("quality");
  });
});

describe("PERCIST secondary analysis – sum of ≤ 5 hottest, ≤ 2 per organ (§4.3)", () => {
  it("picks by SULpeak with the per-organ cap", () => {
    const r = percistSumOfHottest([
      { lesionId: "a", organ: "liver", sulPeak: 9 },
      { lesionId: "b", organ: "liver", sulPeak: 8 },
      { lesionId: "c", organ: "liver", sulPeak: 7 },
      { lesionId: "d", organ: "bone", sulPeak: 6 },
      { lesionId: "e", organ: "node", sulPeak: 5 },
      { lesionId: "f", organ: "lung", sulPeak: 4 },
      { lesionId: "g", organ: "pancreas", sulPeak: 3 },
    ]);
    expect(r.lesionIds).toEqual(["a", "b", "d", "e", "f"]);
    expect(r.sumSulPeak).toBeCloseTo(32, 12);
  });
});

describe("PERCIST bad input", () => {
  it("names the field and value", () => {
    expect(() => assessPercist(pet([5]), pet([-1]))).toThrow(
      "followUp.lesions[0].sulPeak must be ≥ 0, got -1",
    );
    expect(() =>
      assessPercist(pet([5], { liver: { sulMean: Number.NaN, sulSd: 0 } }), pet([5])),
    ).toThrow("liver.sulMean must be a finite number, got NaN");
    expect(() =>
      assessPercist(pet([5], { uptakeTimeMin: Number.POSITIVE_INFINITY }), pet([5])),
    ).toThrow("baseline.uptakeTimeMin must be a finite number, got Infinity");
  });
});
