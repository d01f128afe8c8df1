import { describe, expect, it } from "vitest";
import { sphereLocalDepositionS } from "./dose";
import {
  bedWithUncertainty,
  combineRelativeSd,
  selfDoseUncertainty,
  propagateFirstOrder,
} from "./uncertainty";

const LU_S = 574_300.8;

describe("propagateFirstOrder (GUM first-order law)", () => {
  it("linear function: σ² = Σ(aᵢσᵢ)² exactly", () => {
    const r = propagateFirstOrder(
      (x) => 2 * (x[0] as number) - 3 * (x[1] as number),
      [
        { name: "a", value: 1, sd: 0.1 },
        { name: "b", value: 2, sd: 0.2 },
      ],
    );
    expect(r.value).toBeCloseTo(-4, 12);
    expect(r.sd).toBeCloseTo(Math.sqrt(0.04 + 0.36), 9);
    expect(r.contributions[1]?.sensitivity).toBeCloseTo(-3, 6);
  });
  it("product: relative SDs add in quadrature", () => {
    const r = propagateFirstOrder(
      (x) => (x[0] as number) * (x[1] as number),
      [
        { name: "a", value: 10, sd: 0.3 },
        { name: "b", value: 5, sd: 0.2 },
      ],
    );
    expect(r.relativeSd).toBeCloseTo(combineRelativeSd({ a: 0.03, b: 0.04 }), 6);
    expect(r.relativeSd).toBeCloseTo(0.05, 6);
  });
  it("bad input names the field", () => {
    expect(() =>
      propagateFirstOrder((x) => x[0] as number, [{ name: "a", value: 1, sd: -1 }]),
    ).toThrow("inputs[0].sd must be ≥ 0, got -1");
    expect(() => combineRelativeSd({ tia: -0.1 })).toThrow("relSds.tia must be ≥ 0, got -0.1");
  });
});

describe("selfDoseUncertainty – Example D1 chain (dosimetry.md §9)", () => {
  const base = {
    timesH: [24, 96, 168],
    activitiesMBq: [120, 60, 30],
    physicalHalfLifeS: LU_S,
    sPhantomMGyPerMBqH: 0.27762,
    phantomMassG: 309.994,
    patientMassG: 350,
  };
  it("nominal dose equals Example D1 (3.8617 Gy) and zero input SD → zero output SD", () => {
    const r = selfDoseUncertainty({ ...base, activityRelSd: 0 });
    // reference: 3861.7 mGy with S rounded to 0.24589; relative tolerance 5e-5
    expect(Math.abs(r.value - 3.8617) / 3.8617).toBeLessThan(5e-5);
    expect(r.sd).toBe(0);
  });
  it("calibration (fully correlated) 5 % → 5 % on dose; mass 5 % → 5 % on dose", () => {
    const cal = selfDoseUncertainty({ ...base, activityRelSd: 0, calibrationRelSd: 0.05 });
    expect(cal.relativeSd).toBeCloseTo(0.05, 5);
    const mass = selfDoseUncertainty({ ...base, activityRelSd: 0, patientMassSdG: 17.5 });
    expect(mass.relativeSd).toBeCloseTo(0.05, 5);
  });
  it("independent per-point 5 % activity noise gives < 5 % on the dose (averaging) but > 0", () => {
    const r = selfDoseUncertainty({ ...base, activityRelSd: 0.05 });
    expect(r.relativeSd).toBeGreaterThan(0.01);
    expect(r.relativeSd).toBeLessThan(0.05);
    expect(r.contributions.map((c) => c.name)).toContain("activitiesMBq[2]");
  });
  it("time uncertainty contributes; total combines all sources in quadrature", () => {
    const all = selfDoseUncertainty({
      ...base,
      activityRelSd: 0.05,
      calibrationRelSd: 0.05,
      timeSdH: 1,
      patientMassSdG: 17.5,
    });
    const sum = all.contributions.reduce((s, c) => s + c.variance, 0);
    expect(all.sd).toBeCloseTo(Math.sqrt(sum), 12);
    expect(all.contributions.find((c) => c.name === "timesH[0]")?.variance).toBeGreaterThan(0);
  });
  it("bad input names the field", () => {
    expect(() => selfDoseUncertainty({ ...base, activityRelSd: [0.05, -0.1, 0.05] })).toThrow(
      "activityRelSd[1] must be ≥ 0, got -0.1",
    );
    expect(() => selfDoseUncertainty({ ...base, activityRelSd: [0.05] })).toThrow(
      "activityRelSd must have 3 entries, got 1",
    );
    expect(() => selfDoseUncertainty({ ...base, activityRelSd: 0.05, patientMassG: 0 })).toThrow(
      "patientMassG must be > 0, got 0",
    );
  });
});

describe("selfDoseUncertainty – tumour sphere (Example D5) and trapezoid policy", () => {
  it("D5 via the 1 g sphere trick: D = 19.89 Gy; 5 % calibration → 5 %", () => {
    const r = selfDoseUncertainty({
      timesH: [24, 168],
      activitiesMBq: [20, 10],
      activityRelSd: 0,
      calibrationRelSd: 0.05,
      physicalHalfLifeS: LU_S,
      sPhantomMGyPerMBqH: sphereLocalDepositionS(1).sMGyPerMBqH,
      phantomMassG: 1,
      patientMassG: 20,
    });
    expect(r.value).toBeCloseTo(19.8925, 3);
    expect(r.relativeSd).toBeCloseTo(0.05, 5);
  });
  it("trapezoid + tail (policy a, last-two-points) nominal value equals Example D4 × S", () => {
    const r = selfDoseUncertainty({
      timesH: [24, 96, 168],
      activitiesMBq: [120, 60, 30],
      activityRelSd: 0.05,
      physicalHalfLifeS: LU_S,
      sPhantomMGyPerMBqH: 0.27762,
      phantomMassG: 309.994,
      patientMassG: 350,
      tiaMethod: {
        kind: "trapezoid-tail",
        policy: { zeroTime: "linear-from-zero", tail: "last-two-points" },
      },
    });
    expect(r.value).toBeCloseTo((14276.2 * 0.27762 * (309.994 / 350)) / 1000, 4);
    expect(r.sd).toBeGreaterThan(0);
  });
});

describe("bedWithUncertainty – Example D6 values (dosimetry.md §9)", () => {
  it("σ_BED matches the analytic derivatives", () => {
    const d = 3.8617;
    const t = 72;
    const g = 2.8 / (2.8 + t);
    const r = bedWithUncertainty(d, 0.4, t, 10);
    const dD = 1 + (2 * d * g) / 2.6;
    const dT = (-(d * d) / 2.6) * (2.8 / (2.8 + t) ** 2);
    expect(r.value).toBeCloseTo(4.0764, 4);
    expect(r.contributions[0]?.sensitivity).toBeCloseTo(dD, 6);
    expect(r.contributions[1]?.sensitivity).toBeCloseTo(dT, 8);
    expect(r.sd).toBeCloseTo(Math.sqrt((dD * 0.4) ** 2 + (dT * 10) ** 2), 8);
  });
  it("bad input names the parameter", () => {
    expect(() => bedWithUncertainty(3, -1, 72, 1)).toThrow("doseSdGy must be ≥ 0, got -1");
  });
});
