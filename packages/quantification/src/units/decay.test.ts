import { describe, expect, it } from "vitest";
import {
  activityAfterDecay,
  activityAtTime,
  activityBeforeDecay,
  decayConstantPerS,
  decayFactor,
  effectiveHalfLife,
  netAdministeredActivity,
} from "./decay.js";
import { elapsedSeconds, instantToEpochMs } from "./time.js";

const MIN = 60;
const LU177_S = 159.528 * 3600; // 6.647 d, radionuclides.md Example R2
const GA68_S = 67.71 * MIN; // radionuclides.md Example R1/R6

describe("decayFactor (radionuclides.md §3)", () => {
  it("Example R1: 68Ga 20 min → 0.814859", () => {
    expect(decayFactor(20 * MIN, GA68_S)).toBeCloseTo(0.814859, 6);
  });
  it("Example R6: 68Ga 60 min with 67.71 vs 67.83 min → 0.541063 / 0.541651", () => {
    expect(decayFactor(60 * MIN, 67.71 * MIN)).toBeCloseTo(0.541063, 6);
    expect(decayFactor(60 * MIN, 67.83 * MIN)).toBeCloseTo(0.541651, 6);
  });
  it("Example R5: 177Lu after 7 d → 0.481929", () => {
    expect(decayFactor(168 * 3600, LU177_S)).toBeCloseTo(0.481929, 6);
  });
  it("one half-life gives exactly 0.5 and negative time gives the reciprocal", () => {
    expect(decayFactor(1234.5, 1234.5)).toBeCloseTo(0.5, 15);
    expect(decayFactor(-100, 1000) * decayFactor(100, 1000)).toBeCloseTo(1, 14);
  });
  it("λ = ln2/T½: Example R2 λ = 0.0043450 h⁻¹", () => {
    expect(decayConstantPerS(159.528)).toBeCloseTo(0.004345, 7);
  });
  it("rejects bad half-life naming the value", () => {
    expect(() => decayFactor(10, 0)).toThrow(/halfLifeS must be > 0, got 0/);
    expect(() => decayFactor(Number.NaN, 10)).toThrow(/elapsedS must be a finite number, got NaN/);
    expect(() => decayConstantPerS(-5)).toThrow(RangeError);
  });
});

describe("activity forwards/backwards (radionuclides.md §4)", () => {
  it("Example R2: 8.00 GBq 177Lu after 24 h → 7.208 GBq", () => {
    expect(activityAfterDecay(8.0, 24 * 3600, LU177_S)).toBeCloseTo(7.20778, 4);
  });
  it("Example R3: 100 MBq measured at 96 h → 151.758 MBq at injection", () => {
    expect(activityBeforeDecay(100, 96 * 3600, LU177_S)).toBeCloseTo(151.758, 3);
  });
  it("forward then backward is the identity (invariant)", () => {
    const a = activityBeforeDecay(activityAfterDecay(123.4, 5000, GA68_S), 5000, GA68_S);
    expect(Math.abs(a - 123.4)).toBeLessThan(1e-10);
  });
  it("activityAtTime works in both directions with zoned instants", () => {
    const fwd = activityAtTime(8, "2024-01-01T08:00:00Z", "2024-01-02T09:00:00+01:00", LU177_S);
    expect(fwd).toBeCloseTo(7.20778, 4);
    const back = activityAtTime(
      fwd,
      "2024-01-02T08:00:00Z",
      new Date("2024-01-01T08:00:00Z"),
      LU177_S,
    );
    expect(back).toBeCloseTo(8, 10);
  });
  it("rejects negative elapsed time and activity, naming the value", () => {
    expect(() => activityAfterDecay(1, -1, 100)).toThrow(/elapsedS must be >= 0, got -1/);
    expect(() => activityBeforeDecay(-2, 1, 100)).toThrow(/activity must be >= 0, got -2/);
  });
});

describe("effectiveHalfLife", () => {
  it("Example R4: 177Lu, T_biol 80 h → 53.281 h", () => {
    expect(effectiveHalfLife(159.528, 80)).toBeCloseTo(53.281, 3);
  });
  it("rejects a negative biological half-life", () => {
    expect(() => effectiveHalfLife(159.528, -80)).toThrow(
      /biologicalHalfLife must be > 0, got -80/,
    );
  });
});

describe("netAdministeredActivity (radionuclides.md §3, Example R1)", () => {
  const r1 = {
    calibratedMBq: 150,
    calibrationTime: "2024-05-01T09:00:00Z",
    residualMBq: 5,
    residualTime: "2024-05-01T09:25:00Z",
    administrationTime: "2024-05-01T09:20:00Z",
    halfLifeS: GA68_S,
  };
  it("gives 122.229 − 5.263 = 116.966 MBq", () => {
    const r = netAdministeredActivity(r1);
    expect(r.grossAtAdministrationMBq).toBeCloseTo(122.229, 3);
    expect(r.residualAtAdministrationMBq).toBeCloseTo(5.263, 3);
    expect(r.netMBq).toBeCloseTo(116.966, 3);
  });
  it("accepts Date objects and other zones for the same instants", () => {
    const r = netAdministeredActivity({
      ...r1,
      calibrationTime: new Date("2024-05-01T09:00:00Z"),
      administrationTime: "2024-05-01T11:20:00+02:00",
    });
    expect(r.netMBq).toBeCloseTo(116.966, 3);
  });
  it("177Lu vial calibrated at a future reference time (decay-corrects backwards)", () => {
    const r = netAdministeredActivity({
      calibratedMBq: 7207.784, // = 8000 × 0.900973 (Example R2)
      calibrationTime: "2024-05-02T09:00:00Z",
      residualMBq: 0,
      residualTime: "2024-05-01T09:30:00Z",
      administrationTime: "2024-05-01T09:00:00Z",
      halfLifeS: LU177_S,
    });
    expect(Math.abs(r.netMBq - 8000)).toBeLessThan(0.01);
  });
  it("refuses a residue larger than the gross after correction, naming the value", () => {
    expect(() => netAdministeredActivity({ ...r1, residualMBq: 130 })).toThrow(
      /got residualMBq 130/,
    );
  });
  it("refuses a residue measured before administration", () => {
    expect(() => netAdministeredActivity({ ...r1, residualTime: "2024-05-01T09:10:00Z" })).toThrow(
      /residualTime must not precede administrationTime/,
    );
  });
  it("refuses zone-less ISO strings (DST ambiguity) and bad numbers, naming the value", () => {
    expect(() =>
      netAdministeredActivity({ ...r1, administrationTime: "2024-05-01T09:20:00" }),
    ).toThrow(
      /administrationTime must be an ISO 8601 date-time with a zone designator.*"2024-05-01T09:20:00"/,
    );
    expect(() => netAdministeredActivity({ ...r1, calibratedMBq: 0 })).toThrow(
      /calibratedMBq must be > 0, got 0/,
    );
    expect(() => netAdministeredActivity({ ...r1, residualMBq: -1 })).toThrow(
      /residualMBq must be >= 0, got -1/,
    );
    expect(() => netAdministeredActivity({ ...r1, halfLifeS: Number.POSITIVE_INFINITY })).toThrow(
      TypeError,
    );
  });
});

describe("time helpers", () => {
  it("elapsedSeconds across a zone offset", () => {
    expect(elapsedSeconds("2024-03-31T00:30:00+01:00", "2024-03-31T03:30:00+02:00")).toBeCloseTo(
      7200,
      9,
    );
  });
  it("rejects invalid Date and garbage strings", () => {
    expect(() => instantToEpochMs("t", new Date("nope"))).toThrow(/t must be a valid Date/);
    expect(() => instantToEpochMs("t", "yesterday")).toThrow(/got "yesterday"/);
  });
});
