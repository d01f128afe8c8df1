import { describe, expect, it } from "vitest";
import { hanscheidTia } from "./stp";
import { halfLifeFromRateH, halfLifeSdFromRateVarianceH, hanscheidImpliedActivity, monoExponentialActivity, uptakeWashoutActivity } from "./tac-curves";

describe("fitted-curve evaluation (reference/dosimetry.md §3)", () => {
  it("mono-exponential: A0' at t = 0, half of it after one T_eff (Example D1: A0' 151.19 MBq, T_eff 72 h)", () => {
    const lambda = Math.LN2 / 72;
    expect(monoExponentialActivity(151.19, lambda, 0)).toBeCloseTo(151.19, 10);
    expect(monoExponentialActivity(151.19, lambda, 72)).toBeCloseTo(75.595, 10);
    expect(monoExponentialActivity(151.19, lambda, 144)).toBeCloseTo(37.7975, 10);
  });

  it("uptake–washout: 0 at t = 0, peak at ln(λ₂/λ₁)/(λ₂ − λ₁)", () => {
    const [a, l1, l2] = [100, 0.01, 0.5];
    expect(uptakeWashoutActivity(a, l1, l2, 0)).toBe(0);
    const tPeak = Math.log(l2 / l1) / (l2 - l1);
    const peak = uptakeWashoutActivity(a, l1, l2, tPeak);
    expect(peak).toBeGreaterThan(uptakeWashoutActivity(a, l1, l2, tPeak - 0.5));
    expect(peak).toBeGreaterThan(uptakeWashoutActivity(a, l1, l2, tPeak + 0.5));
    // by hand: 100·(e^(−0.01·7.9835) − e^(−0.5·7.9835)) = 100·(0.92326 − 0.01846) = 90.48
    expect(peak).toBeCloseTo(90.48, 1);
  });

  it("Hänscheid implied curve passes through the measured point and integrates to hanscheidTia", () => {
    expect(hanscheidImpliedActivity(50, 96, 96)).toBeCloseTo(50, 12);
    expect(hanscheidImpliedActivity(50, 96, 0)).toBeCloseTo(100, 12);
    // ∫0→∞ A(t_s)·2^((t_s−t)/t_s) dt = A·2·t_s/ln2 (numerical check, 0.01 h steps to 40·t_s)
    let sum = 0;
    for (let t = 0; t < 96 * 40; t += 0.01) sum += hanscheidImpliedActivity(50, 96, t + 0.005) * 0.01;
    expect(sum / hanscheidTia(50, 96)).toBeCloseTo(1, 5);
  });

  it("half-life of a rate and its first-order SD: λ = ln2/72 h⁻¹ with 10 % SD → T 72 h, SD 7.2 h", () => {
    const lambda = Math.LN2 / 72;
    expect(halfLifeFromRateH(lambda)).toBeCloseTo(72, 10);
    expect(halfLifeSdFromRateVarianceH(lambda, (0.1 * lambda) ** 2)).toBeCloseTo(7.2, 10);
    expect(halfLifeSdFromRateVarianceH(lambda, -1e-20)).toBe(0);
    expect(() => halfLifeFromRateH(0)).toThrow(RangeError);
  });
});
