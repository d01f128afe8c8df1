import { describe, expect, it } from "vitest";
import {
  fitMonoExponential,
  fitUptakeWashout,
  sumOfExponentialsIntegral,
  trapezoidWithTail,
} from "./tac";

/** 177Lu T½ = 6.647 d = 159.528 h = 574 300.8 s (reference/radionuclides.md §2). */
const LU_S = 574_300.8;
const D1_T = [24, 96, 168];
const D1_A = [120, 60, 30];
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe("fitMonoExponential – dosimetry.md §9 Example D1", () => {
  const fit = fitMonoExponential(D1_T, D1_A, LU_S);
  it("recovers λ_eff = ln2/72 h, T_eff = 72 h, T_biol = 131.2 h", () => {
    expect(fit.lambdaEffPerH).toBeCloseTo(0.009627, 6);
    expect(fit.effectiveHalfLifeH).toBeCloseTo(72.0, 6);
    expect(fit.biologicalHalfLifeH).toBeCloseTo(131.2, 1);
  });
  it("A0' = 151.19 MBq and Ã = 15 704.8 MBq·h (TIAC 2.1223 h)", () => {
    expect(fit.a0MBq).toBeCloseTo(151.19, 2);
    expect(fit.tiaMBqH).toBeCloseTo(15704.8, 0);
    expect(fit.tiaMBqS).toBeCloseTo(15704.8 * 3600, -3);
    expect(fit.tiaMBqH / 7400).toBeCloseTo(2.1223, 4);
    expect(fit.tiaMethod).toBe("analytic");
  });
  it("exact data → R² = 1, residuals ≈ 0, Ã SD ≈ 0", () => {
    expect(fit.rSquared).toBeCloseTo(1, 12);
    fit.residualsMBq.forEach((r) => expect(Math.abs(r)).toBeLessThan(1e-9));
    expect(fit.tiaSdMBqH).toBeLessThan(1e-6);
    expect(fit.flags).toEqual([]);
  });
  it("Levenberg–Marquardt gives the same parameters on exact data", () => {
    const lm = fitMonoExponential(D1_T, D1_A, LU_S, { method: "levenberg-marquardt" });
    expect(rel(lm.lambdaEffPerH, fit.lambdaEffPerH)).toBeLessThan(1e-6);
    expect(rel(lm.tiaMBqH, 15704.8)).toBeLessThan(1e-5);
  });
});

describe("fitMonoExponential – invariants and flags", () => {
  it("recovers parameters of exact mono-exponential data (A0 = 500 MBq, T_eff = 40 h)", () => {
    const t = [2, 10, 30, 70, 150];
    const a = t.map((x) => 500 * Math.exp((-Math.LN2 / 40) * x));
    for (const weighting of ["none", "activity-squared"] as const) {
      const f = fitMonoExponential(t, a, LU_S, { weighting });
      expect(f.a0MBq).toBeCloseTo(500, 8);
      expect(f.effectiveHalfLifeH).toBeCloseTo(40, 8);
      expect(f.tiaMBqH).toBeCloseTo((500 * 40) / Math.LN2, 6);
    }
  });
  it("noisy data: covariance-based Ã SD is positive and < 20 % of Ã; R² < 1", () => {
    const f = fitMonoExponential([4, 24, 72, 168], [200, 170, 101, 49], LU_S);
    expect(f.tiaSdMBqH).toBeGreaterThan(0);
    expect(f.tiaSdMBqH / f.tiaMBqH).toBeLessThan(0.2);
    expect(f.rSquared).toBeLessThan(1);
    expect(f.rSquared).toBeGreaterThan(0.95);
  });
  it("Levenberg–Marquardt on noisy data: close to log-linear, covariance-based SD > 0", () => {
    const t = [4, 24, 72, 168];
    const a = [200, 170, 101, 49];
    const ll = fitMonoExponential(t, a, LU_S);
    const lm = fitMonoExponential(t, a, LU_S, { method: "levenberg-marquardt" });
    expect(lm.method).toBe("levenberg-marquardt");
    expect(Math.abs(lm.tiaMBqH - ll.tiaMBqH) / ll.tiaMBqH).toBeLessThan(0.1);
    expect(lm.tiaSdMBqH).toBeGreaterThan(0);
    // LM minimises SSE in activity space, so its SSE is ≤ that of the log-linear fit
    const sse = (r: number[]) => r.reduce((s, x) => s + x * x, 0);
    expect(sse(lm.residualsMBq)).toBeLessThanOrEqual(sse(ll.residualsMBq) + 1e-9);
  });
  it("two points → NO_RESIDUAL_DEGREES_OF_FREEDOM flag and NaN SD", () => {
    const f = fitMonoExponential([24, 168], [20, 10], LU_S);
    expect(f.flags.map((x) => x.code)).toContain("NO_RESIDUAL_DEGREES_OF_FREEDOM");
    expect(Number.isNaN(f.tiaSdMBqH)).toBe(true);
  });
  it("rising activity → NON_WASHOUT, Ã from trapezoid (A(0)=0) + physical tail (§3.1)", () => {
    const t = [24, 96];
    const a = [50, 60];
    const f = fitMonoExponential(t, a, LU_S);
    expect(f.flags.map((x) => x.code)).toContain("NON_WASHOUT");
    expect(f.tiaMethod).toBe("fallback-trapezoid-physical-tail");
    const expected = 0.5 * 24 * 50 + 0.5 * 72 * 110 + 60 / (Math.LN2 / 159.528);
    expect(f.tiaMBqH).toBeCloseTo(expected, 6);
    expect(f.flags[f.flags.length - 1]?.message).toMatch(/λ_eff = .* ≤ 0/);
  });
  it("clearance slower than physical decay → SLOWER_THAN_PHYSICAL_DECAY with negative T_biol", () => {
    const t = [24, 168];
    const a = t.map((x) => 100 * 2 ** (-x / 300)); // T_eff 300 h > 159.5 h
    const f = fitMonoExponential(t, a, LU_S);
    expect(f.flags.map((x) => x.code)).toContain("SLOWER_THAN_PHYSICAL_DECAY");
    expect(f.biologicalHalfLifeH).toBeLessThan(0);
    expect(f.tiaMethod).toBe("fallback-trapezoid-physical-tail");
  });
  it("bad input messages name the parameter and value", () => {
    expect(() => fitMonoExponential([24], [10], LU_S)).toThrow(
      "timesH has 1 point(s); a mono-exponential fit needs ≥ 2",
    );
    expect(() => fitMonoExponential([24, -1], [10, 5], LU_S)).toThrow(
      "timesH[1] must be ≥ 0, got -1",
    );
    expect(() => fitMonoExponential([24, 12], [10, 5], LU_S)).toThrow(
      "timesH must be strictly increasing: timesH[1] = 12 ≤ timesH[0] = 24",
    );
    expect(() => fitMonoExponential([24, 48], [10, 0], LU_S)).toThrow(
      "activitiesMBq[1] must be > 0, got 0",
    );
    expect(() => fitMonoExponential([24, 48], [10], LU_S)).toThrow(
      "timesH and activitiesMBq must have the same length, got 2 and 1",
    );
    expect(() => fitMonoExponential([24, 48], [10, 5], 0)).toThrow(
      "physicalHalfLifeS must be > 0, got 0",
    );
    expect(() => fitMonoExponential([24, Number.NaN], [10, 5], LU_S)).toThrow(TypeError);
  });
});

describe("trapezoidWithTail – dosimetry.md §9 Example D4", () => {
  it("policy (a) A(0)=0 + last-two-points tail: 11 160 + 3116.2 = 14 276.2 MBq·h", () => {
    const r = trapezoidWithTail(D1_T, D1_A, LU_S, {
      zeroTime: "linear-from-zero",
      tail: "last-two-points",
    });
    expect(r.zeroSegmentMBqH).toBeCloseTo(1440, 9);
    expect(r.zeroSegmentMBqH + r.trapezoidMBqH).toBeCloseTo(11160, 9);
    expect(r.tailMBqH).toBeCloseTo(3116.2, 1);
    expect(r.tiaMBqH).toBeCloseTo(14276.2, 1);
    expect((r.tiaMBqH - 15704.8) / 15704.8).toBeCloseTo(-0.091, 3);
  });
  it("physical-decay tail: 30/0.0043450 = 6904.5 → 18 064.5 MBq·h (+15.0 %)", () => {
    const r = trapezoidWithTail(D1_T, D1_A, LU_S, {
      zeroTime: "linear-from-zero",
      tail: "physical-decay",
    });
    expect(r.tailMBqH).toBeCloseTo(6904.5, 1);
    expect(r.tiaMBqH).toBeCloseTo(18064.5, 1);
    expect((r.tiaMBqH - 15704.8) / 15704.8).toBeCloseTo(0.15, 2);
  });
  it("policy (b) exponential back-extrapolation: 3239.9 → 16 076.1 MBq·h", () => {
    const r = trapezoidWithTail(D1_T, D1_A, LU_S, {
      zeroTime: "exponential-back-extrapolation",
      tail: "last-two-points",
    });
    expect(r.zeroSegmentMBqH).toBeCloseTo(3239.9, 1);
    expect(r.tiaMBqH).toBeCloseTo(16076.1, 1);
  });
  it("policy (c) rectangle: 24 × 120 = 2880 for the zero segment", () => {
    const r = trapezoidWithTail(D1_T, D1_A, LU_S, {
      zeroTime: "constant-first-value",
      tail: "last-two-points",
    });
    expect(r.zeroSegmentMBqH).toBeCloseTo(2880, 9);
  });
  it("invariant: Ã(trapezoid + tail) ≥ trapezoid alone, for every policy", () => {
    for (const zeroTime of [
      "linear-from-zero",
      "exponential-back-extrapolation",
      "constant-first-value",
    ] as const) {
      for (const tail of ["last-two-points", "physical-decay"] as const) {
        const r = trapezoidWithTail([4, 24, 72, 168], [80, 120, 70, 28], LU_S, { zeroTime, tail });
        expect(r.tiaMBqH).toBeGreaterThanOrEqual(r.trapezoidMBqH);
        expect(r.tailMBqH).toBeGreaterThan(0);
      }
    }
  });
  it("physical tail is an upper bound of the last-two-points tail", () => {
    const a = trapezoidWithTail(D1_T, D1_A, LU_S, {
      zeroTime: "linear-from-zero",
      tail: "last-two-points",
    });
    const b = trapezoidWithTail(D1_T, D1_A, LU_S, {
      zeroTime: "linear-from-zero",
      tail: "physical-decay",
    });
    expect(b.tiaMBqH).toBeGreaterThan(a.tiaMBqH);
  });
  it("last-two-points slower than physical → falls back to λ_phys with flag", () => {
    const r = trapezoidWithTail([24, 96], [100, 95], LU_S);
    expect(r.lambdaTailPerH).toBeCloseTo(Math.LN2 / 159.528, 10);
    expect(r.flags.map((f) => f.code)).toContain("TAIL_FELL_BACK_TO_PHYSICAL");
  });
  it("rising first points with policy (b) → falls back to (a) with flag", () => {
    const r = trapezoidWithTail([4, 24, 96], [50, 100, 40], LU_S, {
      zeroTime: "exponential-back-extrapolation",
      tail: "last-two-points",
    });
    expect(r.zeroSegmentMBqH).toBeCloseTo(100, 9);
    expect(r.flags.map((f) => f.code)).toContain("BACK_EXTRAPOLATION_NOT_DECREASING");
  });
  it("rejects < 2 points naming the count", () => {
    expect(() => trapezoidWithTail([24], [10], LU_S)).toThrow(
      "timesH has 1 point(s); trapezoid + tail integration needs ≥ 2",
    );
    expect(() => trapezoidWithTail([24, 48], [10, -1], LU_S)).toThrow(
      "activitiesMBq[1] must be ≥ 0, got -1",
    );
  });
});

describe("fitUptakeWashout (bi-exponential, dosimetry.md §3.2)", () => {
  const a = 200;
  const l1 = Math.LN2 / 60;
  const l2 = Math.LN2 / 3;
  const t = [1, 4, 24, 72, 168];
  const y = t.map((x) => a * (Math.exp(-l1 * x) - Math.exp(-l2 * x)));
  it("recovers the parameters and Ã = a(1/λ1 − 1/λ2) of exact data", () => {
    const f = fitUptakeWashout(t, y, LU_S);
    expect(rel(f.amplitudeMBq, a)).toBeLessThan(1e-3);
    expect(rel(f.lambdaWashoutPerH, l1)).toBeLessThan(1e-3);
    expect(rel(f.lambdaUptakePerH, l2)).toBeLessThan(1e-2);
    expect(rel(f.tiaMBqH, a * (1 / l1 - 1 / l2))).toBeLessThan(1e-3);
    expect(f.rSquared).toBeGreaterThan(0.999999);
    expect(f.timeOfPeakH).toBeCloseTo(Math.log(l2 / l1) / (l2 - l1), 1);
    expect(f.flags.filter((x) => x.code === "UNIDENTIFIABLE")).toEqual([]);
  });
  it("Ã of uptake–washout < Ã of the washout exponential alone (uptake lag)", () => {
    const f = fitUptakeWashout(t, y, LU_S);
    expect(f.tiaMBqH).toBeLessThan(f.amplitudeMBq / f.lambdaWashoutPerH);
  });
  it("realistic kidney TAC (4, 24, 96, 168 h): converges, peak between 4 and 24 h, Ã between trapezoid bounds", () => {
    const t2 = [4, 24, 96, 168];
    const y2 = [90, 120, 60, 30];
    const f = fitUptakeWashout(t2, y2, LU_S);
    expect(f.rSquared).toBeGreaterThan(0.99);
    expect(f.timeOfPeakH).toBeGreaterThan(4);
    expect(f.timeOfPeakH).toBeLessThan(24);
    expect(f.tiaSdMBqH).toBeGreaterThan(0);
    const low = trapezoidWithTail(t2, y2, LU_S, {
      zeroTime: "linear-from-zero",
      tail: "last-two-points",
    }).tiaMBqH;
    const high = trapezoidWithTail(t2, y2, LU_S, {
      zeroTime: "constant-first-value",
      tail: "physical-decay",
    }).tiaMBqH;
    expect(f.tiaMBqH).toBeGreaterThan(low * 0.9);
    expect(f.tiaMBqH).toBeLessThan(high);
    expect(f.flags).toEqual([]);
  });
  it("pure washout data (no uptake sampled) → UNIDENTIFIABLE and UPTAKE_PHASE_NOT_SAMPLED", () => {
    const f = fitUptakeWashout([24, 96, 168, 240], [120, 60, 30, 15], LU_S);
    const codes = f.flags.map((x) => x.code);
    expect(codes).toContain("UNIDENTIFIABLE");
    expect(codes).toContain("UPTAKE_PHASE_NOT_SAMPLED");
    expect(f.lambdaWashoutPerH).toBeCloseTo(Math.LN2 / 72, 6);
  });
  it("fewer points than 2 per exponential → error naming the count", () => {
    expect(() => fitUptakeWashout([4, 24, 96], [10, 20, 8], LU_S)).toThrow(
      "timesH has 3 point(s); the bi-exponential uptake–washout model needs ≥ 4",
    );
  });
  it("minPointsPerTerm = 1.5 allows 3 points (3 parameters) and flags no dof", () => {
    const f = fitUptakeWashout([4, 24, 96], [10, 20, 8], LU_S, { minPointsPerTerm: 1.5 });
    expect(f.flags.map((x) => x.code)).toContain("NO_RESIDUAL_DEGREES_OF_FREEDOM");
  });
});

describe("sumOfExponentialsIntegral – dosimetry.md §9 Example D8 blood curve", () => {
  it("1.2×1.5/ln2 + 0.01×40/ln2 = 3.1739 MBq·h/mL", () => {
    const v = sumOfExponentialsIntegral([
      { amplitude: 1.2, halfLifeH: 1.5 },
      { amplitude: 0.01, halfLifeH: 40 },
    ]);
    expect(v).toBeCloseTo(3.1739, 4);
  });
  it("rejects bad terms", () => {
    expect(() => sumOfExponentialsIntegral([])).toThrow(
      "terms must contain ≥ 1 exponential term, got 0",
    );
    expect(() => sumOfExponentialsIntegral([{ amplitude: 1, halfLifeH: 0 }])).toThrow(
      "terms[0].halfLifeH must be > 0, got 0",
    );
    expect(() => sumOfExponentialsIntegral([{ amplitude: -1, halfLifeH: 2 }])).toThrow(
      "terms[0].amplitude must be ≥ 0, got -1",
    );
  });
});
