import { describe, expect, it } from "vitest";
import {
  buildDoseLedger,
  LIMITS_UPPSALA_27GY,
  LIMITS_WITH_RENAL_RISK_FACTORS,
  LIMITS_WITHOUT_RENAL_RISK_FACTORS,
  maxNextCycleActivity,
  planRemainingCycles,
  whatIfNextCycle,
  type CycleOrganDose,
  type DoseLimitPolicy,
} from "./ledger";

const KIDNEY_ONLY_23: DoseLimitPolicy = {
  name: "kidney-23Gy",
  limits: [{ organ: "kidneys", absorbedGy: 23, source: "dosimetry.md §6.1" }],
};
const KIDNEY_ONLY_BED_28: DoseLimitPolicy = {
  name: "kidney-BED-28Gy",
  limits: [{ organ: "kidneys", bedGy: 28, source: "dosimetry.md §6.1" }],
};
const KIDNEY_23_BED_28: DoseLimitPolicy = {
  name: "kidney-23Gy-BED28Gy",
  limits: [{ organ: "kidneys", absorbedGy: 23, bedGy: 28, source: "dosimetry.md §6.1" }],
};

/** Example D7: kidney doses 3.9, 4.2, 3.6 Gy, T_eff 50 h; 0.52 Gy/GBq; 7.4 GBq standard. */
const D7: CycleOrganDose[] = [3.9, 4.2, 3.6].map((d, i) => ({
  courseId: "course-1",
  cycleNumber: i + 1,
  administeredActivityGBq: 7.4,
  organ: "kidneys",
  absorbedDoseGy: d,
  effectiveHalfLifeH: 50,
}));
const D7_OPTS = { gyPerGBq: { kidneys: 0.52 } };

describe("planning after 3 cycles – dosimetry.md §9 Example D7", () => {
  it("ledger: delivered 11.7 Gy (remaining 11.3 Gy); BEDs 4.2102 + 4.5598 + 3.8643 = 12.6344 Gy (remaining 15.3656)", () => {
    const l = buildDoseLedger(D7, KIDNEY_23_BED_28);
    const k = l.organs.find((o) => o.organ === "kidneys");
    expect(k?.cumulativeAbsorbedGy).toBeCloseTo(11.7, 10);
    expect(k?.absorbed?.remainingGy).toBeCloseTo(11.3, 10);
    expect(k?.cumulativeBedGy).toBeCloseTo(12.6344, 4);
    expect(k?.bed?.remainingGy).toBeCloseTo(15.3656, 4);
    expect(l.totalActivityGBq).toBeCloseTo(22.2, 10);
  });
  it("absorbed 23 Gy: 2 full cycles (7.696 Gy) + remainder 3.604 Gy ≙ 6.93 GBq", () => {
    const p = planRemainingCycles(D7, KIDNEY_ONLY_23, { ...D7_OPTS, standardActivityGBq: 7.4 });
    expect(p.activitiesGBq.length).toBe(3);
    expect(p.activitiesGBq[0]).toBeCloseTo(7.4, 10);
    expect(p.activitiesGBq[1]).toBeCloseTo(7.4, 10);
    expect(p.activitiesGBq[2]).toBeCloseTo(6.93, 2);
    expect((p.activitiesGBq[2] as number) * 0.52).toBeCloseTo(3.604, 3);
  });
  it("BED 28 Gy: BED per 3.848 Gy cycle 4.1500 → 3 full cycles, then D 2.7602 Gy ≙ 5.31 GBq", () => {
    const p = planRemainingCycles(D7, KIDNEY_ONLY_BED_28, { ...D7_OPTS, standardActivityGBq: 7.4 });
    expect(p.activitiesGBq.length).toBe(4);
    expect(p.activitiesGBq.slice(0, 3).every((a) => Math.abs(a - 7.4) < 1e-9)).toBe(true);
    expect((p.activitiesGBq[3] as number) * 0.52).toBeCloseTo(2.7602, 4);
    expect(p.activitiesGBq[3]).toBeCloseTo(5.31, 2);
  });
  it("binding constraint = absorbed 23 Gy (both limits): 7.4, 7.4, 6.93 GBq", () => {
    const p = planRemainingCycles(D7, KIDNEY_23_BED_28, D7_OPTS);
    expect(p.activitiesGBq).toHaveLength(3);
    [7.4, 7.4, 6.93].forEach((a, i) => expect(p.activitiesGBq[i]).toBeCloseTo(a, 2));
    expect(p.binding[2]).toEqual({ organ: "kidneys", constraint: "absorbed" });
    expect(p.stopReason).toMatch(/< minimum meaningful 3.7 GBq/);
  });
  it("with BED 40 Gy (no risk factors) the BED budget allows 6 more full cycles → absorbed binds", () => {
    const bedOnly40: DoseLimitPolicy = {
      name: "bed40",
      limits: [{ organ: "kidneys", bedGy: 40, source: "Bodei 2008" }],
    };
    const p = planRemainingCycles(D7, bedOnly40, { ...D7_OPTS, minMeaningfulActivityGBq: 7.4 });
    expect(p.activitiesGBq.length).toBe(6);
    const both = maxNextCycleActivity(D7, LIMITS_WITHOUT_RENAL_RISK_FACTORS, {
      ...D7_OPTS,
      gyPerGBq: { kidneys: 0.52, redMarrow: 0.067 },
    });
    expect(both.perOrgan.find((o) => o.organ === "kidneys")?.binding).toBe("absorbed");
  });
  it("3 more full cycles would give 23.244 Gy absorbed (what-if over 23 Gy)", () => {
    const w = whatIfNextCycle(D7, 3 * 7.4, KIDNEY_23_BED_28, D7_OPTS);
    expect(w[0]?.projectedAbsorbedGy).toBeCloseTo(23.244, 3);
    expect(w[0]?.exceeds).toBe(true);
  });
  it("what-if 7.4 GBq → kidneys absorbed 15.548 of 23 Gy, BED 16.784 of 28 Gy (message)", () => {
    const w = whatIfNextCycle(D7, 7.4, KIDNEY_23_BED_28, D7_OPTS);
    expect(w[0]?.projectedAbsorbedGy).toBeCloseTo(15.548, 3);
    expect(w[0]?.projectedBedGy).toBeCloseTo(16.7844, 4);
    expect(w[0]?.exceeds).toBe(false);
    expect(w[0]?.message).toBe(
      "7.4 GBq next cycle → kidneys absorbed 15.55 of 23 Gy (67.6 %), BED 16.78 of 28 Gy (59.9 %)",
    );
  });
  it("maxNextCycleActivity without cap: absorbed remaining 11.3 Gy / 0.52 = 21.73 GBq", () => {
    const r = maxNextCycleActivity(D7, KIDNEY_ONLY_23, D7_OPTS);
    expect(r.maxActivityGBq).toBeCloseTo(11.3 / 0.52, 9);
    expect(r.binding).toEqual({ organ: "kidneys", constraint: "absorbed" });
  });
  it("default Gy/GBq is the latest cycle's (3.6 Gy / 7.4 GBq)", () => {
    const r = maxNextCycleActivity(D7, KIDNEY_ONLY_23);
    expect(r.perOrgan[0]?.gyPerGBq).toBeCloseTo(3.6 / 7.4, 12);
    expect(r.maxActivityGBq).toBeCloseTo(11.3 / (3.6 / 7.4), 9);
  });
});

describe("ledger across cycles and courses (hand-computed)", () => {
  // course A: 2 cycles of 7.4 GBq; salvage course B: 1 cycle of 7.0 GBq.
  // kidneys 4.0 Gy (T 50 h), 3.0 Gy (T 60 h), 5.0 Gy (T 40 h); marrow 0.5, 0.4, 0.6 Gy.
  // BED by hand (α/β 2.6, T_rep 2.8): 4.0·(1 + 4.0/2.6·2.8/52.8) = 4.326340,
  //   3.0·(1 + 3.0/2.6·2.8/62.8) = 3.154336, 5.0·(1 + 5.0/2.6·2.8/42.8) = 5.629044; Σ 13.109720.
  const entries: CycleOrganDose[] = [
    {
      courseId: "A",
      cycleNumber: 1,
      administeredActivityGBq: 7.4,
      organ: "kidneys",
      absorbedDoseGy: 4.0,
      effectiveHalfLifeH: 50,
      absorbedDoseSdGy: 0.4,
    },
    {
      courseId: "A",
      cycleNumber: 1,
      administeredActivityGBq: 7.4,
      organ: "redMarrow",
      absorbedDoseGy: 0.5,
    },
    {
      courseId: "A",
      cycleNumber: 2,
      administeredActivityGBq: 7.4,
      organ: "kidneys",
      absorbedDoseGy: 3.0,
      effectiveHalfLifeH: 60,
      absorbedDoseSdGy: 0.3,
    },
    {
      courseId: "A",
      cycleNumber: 2,
      administeredActivityGBq: 7.4,
      organ: "redMarrow",
      absorbedDoseGy: 0.4,
    },
    {
      courseId: "B",
      cycleNumber: 1,
      administeredActivityGBq: 7.0,
      organ: "kidneys",
      absorbedDoseGy: 5.0,
      effectiveHalfLifeH: 40,
      absorbedDoseSdGy: 1.2,
    },
    {
      courseId: "B",
      cycleNumber: 1,
      administeredActivityGBq: 7.0,
      organ: "redMarrow",
      absorbedDoseGy: 0.6,
    },
  ];
  const ledger = buildDoseLedger(entries, LIMITS_WITH_RENAL_RISK_FACTORS);
  const kid = ledger.organs.find((o) => o.organ === "kidneys");
  const rm = ledger.organs.find((o) => o.organ === "redMarrow");
  it("kidneys: 12.0 Gy absorbed (11.0 remaining of 23), BED 13.109720 (14.890280 remaining of 28)", () => {
    expect(kid?.cumulativeAbsorbedGy).toBeCloseTo(12.0, 12);
    expect(kid?.absorbed?.remainingGy).toBeCloseTo(11.0, 12);
    expect(kid?.absorbed?.fractionUsed).toBeCloseTo(12 / 23, 12);
    expect(kid?.cumulativeBedGy).toBeCloseTo(13.10972, 5);
    expect(kid?.bed?.remainingGy).toBeCloseTo(14.89028, 5);
    expect(kid?.cumulativeAbsorbedSdGy).toBeCloseTo(1.3, 12); // √(0.16+0.09+1.44)
  });
  it("per course subtotals: A 7.0 Gy / BED 7.480676; B 5.0 Gy / BED 5.629044", () => {
    expect(kid?.perCourse.map((c) => c.courseId)).toEqual(["A", "B"]);
    expect(kid?.perCourse[0]?.absorbedGy).toBeCloseTo(7.0, 12);
    expect(kid?.perCourse[0]?.bedGy).toBeCloseTo(7.480676, 5);
    expect(kid?.perCourse[1]?.bedGy).toBeCloseTo(5.629044, 5);
  });
  it("marrow: 1.5 of 2 Gy, no BED, SD NaN (not all cycles have one); total activity 21.8 GBq", () => {
    expect(rm?.cumulativeAbsorbedGy).toBeCloseTo(1.5, 12);
    expect(rm?.absorbed?.remainingGy).toBeCloseTo(0.5, 12);
    expect(rm?.cumulativeBedGy).toBeNull();
    expect(Number.isNaN(rm?.cumulativeAbsorbedSdGy)).toBe(true);
    expect(ledger.totalActivityGBq).toBeCloseTo(21.8, 12);
  });
  it("next cycle: kidneys allow 11/(5/7) = 15.4 GBq, marrow 0.5/(0.6/7) = 5.833 GBq → marrow binds", () => {
    const r = maxNextCycleActivity(entries, LIMITS_WITH_RENAL_RISK_FACTORS);
    expect(r.perOrgan.find((o) => o.organ === "kidneys")?.maxActivityGBq).toBeCloseTo(15.4, 9);
    expect(r.perOrgan.find((o) => o.organ === "kidneys")?.bedAllowedGy).toBeCloseTo(11.539651, 5);
    expect(r.maxActivityGBq).toBeCloseTo(5.833333, 5);
    expect(r.binding).toEqual({ organ: "redMarrow", constraint: "absorbed" });
    expect(r.message).toBe("next cycle ≤ 5.83 GBq (binding: redMarrow absorbed dose limit)");
  });
  it("cap binds when below every organ bound", () => {
    const r = maxNextCycleActivity(entries, LIMITS_WITH_RENAL_RISK_FACTORS, { capGBq: 3.7 });
    expect(r.maxActivityGBq).toBeCloseTo(3.7, 12);
    expect(r.binding).toEqual({ organ: null, constraint: "cap" });
  });
  it("what-if 7.4 GBq: kidneys 17.286 Gy / BED 19.098 Gy; marrow 2.134 Gy exceeds 2 Gy", () => {
    const w = whatIfNextCycle(entries, 7.4, LIMITS_WITH_RENAL_RISK_FACTORS);
    expect(w[0]?.projectedAbsorbedGy).toBeCloseTo(17.285714, 5);
    expect(w[0]?.projectedBedGy).toBeCloseTo(19.098423, 5);
    expect(w[1]?.projectedAbsorbedGy).toBeCloseTo(1.5 + (0.6 / 7) * 7.4, 9);
    expect(w[1]?.exceeds).toBe(true);
    expect(w[1]?.message).toMatch(/EXCEEDS LIMIT$/);
  });
  it("Uppsala 27 Gy policy has no BED and a larger kidney budget", () => {
    const l = buildDoseLedger(entries, LIMITS_UPPSALA_27GY);
    expect(l.organs[0]?.absorbed?.remainingGy).toBeCloseTo(15, 12);
    expect(l.organs[0]?.bed).toBeNull();
  });
  it("limited organ without history is skipped with a warning unless a prior Gy/GBq is given", () => {
    const kidneysOnly = entries.filter((e) => e.organ === "kidneys");
    const r = maxNextCycleActivity(kidneysOnly, LIMITS_WITH_RENAL_RISK_FACTORS);
    expect(r.warnings[0]).toMatch(/^redMarrow: no dose history and no prior Gy\/GBq/);
    const r2 = maxNextCycleActivity(kidneysOnly, LIMITS_WITH_RENAL_RISK_FACTORS, {
      gyPerGBq: { redMarrow: 0.067 },
    });
    expect(r2.warnings).toEqual([]);
    expect(r2.perOrgan.find((o) => o.organ === "redMarrow")?.maxActivityGBq).toBeCloseTo(
      2 / 0.067,
      9,
    );
  });
  it("planRemainingCycles passes the skipped-organ warning on; whatIf demands a Gy/GBq for it", () => {
    const kidneysOnly = entries.filter((e) => e.organ === "kidneys");
    const p = planRemainingCycles(kidneysOnly, LIMITS_WITH_RENAL_RISK_FACTORS);
    expect(p.warnings).toHaveLength(1);
    expect(p.warnings[0]).toMatch(/^redMarrow: /);
    expect(() => whatIfNextCycle(kidneysOnly, 7.4, LIMITS_WITH_RENAL_RISK_FACTORS)).toThrow(
      "options.gyPerGBq.redMarrow is required (no dose history), got NaN",
    );
  });
  it("exhausted budget → 0 GBq", () => {
    const over: CycleOrganDose[] = [
      {
        courseId: "A",
        cycleNumber: 1,
        administeredActivityGBq: 7.4,
        organ: "kidneys",
        absorbedDoseGy: 24,
        effectiveHalfLifeH: 50,
      },
    ];
    const r = maxNextCycleActivity(over, KIDNEY_23_BED_28);
    expect(r.maxActivityGBq).toBe(0);
    expect(buildDoseLedger(over, KIDNEY_23_BED_28).organs[0]?.absorbed?.exceeded).toBe(true);
  });
});

describe("ledger bad input", () => {
  const ok: CycleOrganDose = {
    courseId: "A",
    cycleNumber: 1,
    administeredActivityGBq: 7.4,
    organ: "kidneys",
    absorbedDoseGy: 3,
    effectiveHalfLifeH: 50,
  };
  it("names the entry field and value", () => {
    expect(() => buildDoseLedger([{ ...ok, administeredActivityGBq: 0 }])).toThrow(
      "entries[0].administeredActivityGBq must be > 0, got 0",
    );
    expect(() => buildDoseLedger([{ ...ok, absorbedDoseGy: -1 }])).toThrow(
      "entries[0].absorbedDoseGy must be ≥ 0, got -1",
    );
    expect(() => buildDoseLedger([{ ...ok, cycleNumber: 0 }])).toThrow(
      "entries[0].cycleNumber must be an integer ≥ 1, got 0",
    );
    expect(() => buildDoseLedger([ok, ok])).toThrow(
      'entries[1] duplicates course "A" cycle 1 organ "kidneys"',
    );
    const { effectiveHalfLifeH: _omit, ...noT } = ok;
    expect(() => buildDoseLedger([noT])).toThrow(
      'entries[0].effectiveHalfLifeH is required for organ "kidneys" (BED limit), got undefined',
    );
    expect(() =>
      buildDoseLedger([
        ok,
        { ...ok, organ: "redMarrow", administeredActivityGBq: 7.0, effectiveHalfLifeH: undefined },
      ]),
    ).toThrow(/administeredActivityGBq = 7 differs from 7.4/);
    expect(() => whatIfNextCycle([ok], -1)).toThrow("activityGBq must be > 0, got -1");
    expect(() => maxNextCycleActivity([ok], KIDNEY_ONLY_23, { capGBq: 0 })).toThrow(
      "options.capGBq must be > 0, got 0",
    );
    expect(() => planRemainingCycles([ok], KIDNEY_ONLY_23, { maxCycles: 0 })).toThrow(
      "options.maxCycles must be an integer ≥ 1, got 0",
    );
  });
});
