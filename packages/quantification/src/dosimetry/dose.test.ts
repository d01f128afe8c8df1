import { describe, expect, it } from "vitest";
import {
  absorbedDoseGy,
  localDepositionConstant,
  localDepositionDoseGy,
  lu177SValue,
  massScaledSelfS,
  organAbsorbedDoseLu177,
  redMarrowSelfDoseFromBlood,
  sphereLocalDepositionS,
} from "./dose";
import { LU177_PHANTOM_MASS_G } from "./phantom-masses";
import { madsenTia } from "./stp";
import { fitMonoExponential, sumOfExponentialsIntegral } from "./tac";

const LU_S = 574_300.8;

describe("local-deposition constant K_Lu – dosimetry.md §1", () => {
  it("0.1479 MeV → 0.085306 mGy·kg/(MBq·h)", () => {
    expect(localDepositionConstant()).toBeCloseTo(0.085306, 6);
  });
  it("Example D9: K/ln2 = 0.1231 (concentration-based STP constant)", () => {
    expect(localDepositionConstant() / Math.LN2).toBeCloseTo(0.1231, 4);
    // 1 MBq/g at 96 h, T_eff 72 h: D = 0.1231 × 1 × 72 × 2^(96/72) Gy
    const d = localDepositionDoseGy(madsenTia(1, 96, 72), 1);
    expect(d).toBeCloseTo((localDepositionConstant() / Math.LN2) * 72 * 2 ** (96 / 72), 9);
  });
  it("rejects energy ≤ 0", () => {
    expect(() => localDepositionConstant(0)).toThrow("meanEnergyPerDecayMeV must be > 0, got 0");
  });
});

describe("mass scaling – dosimetry.md §4.2 and Example D1", () => {
  it("S = 0.27762 × (309.994/350) = 0.24589 mGy/(MBq·h); D = 3861.7 mGy (0.5218 Gy/GBq)", () => {
    const s = massScaledSelfS(0.27762, 309.994, 350);
    expect(s).toBeCloseTo(0.24589, 5);
    const tia = fitMonoExponential([24, 96, 168], [120, 60, 30], LU_S).tiaMBqH;
    const d = absorbedDoseGy(tia, s);
    expect(d * 1000).toBeCloseTo(3861.7, 0);
    expect(d / 7.4).toBeCloseTo(0.5218, 4);
  });
  it("local-deposition cross-check 3827.8 mGy (−0.9 %)", () => {
    const d = localDepositionDoseGy(15704.8, 350) * 1000;
    expect(d).toBeCloseTo(3827.8, 0);
    expect((d - 3861.7) / 3861.7).toBeCloseTo(-0.009, 3);
  });
  it("direction: a heavier organ gets a SMALLER S (unit test demanded by §4.2)", () => {
    expect(massScaledSelfS(1, 300, 600)).toBeCloseTo(0.5, 12);
    expect(massScaledSelfS(1, 300, 150)).toBeCloseTo(2, 12);
  });
  it("bad input names the parameter", () => {
    expect(() => massScaledSelfS(1, 300, 0)).toThrow("patientMassG must be > 0, got 0");
    expect(() => massScaledSelfS(-1, 300, 10)).toThrow("sPhantom must be ≥ 0, got -1");
  });
});

describe("bundled PyTheranostics 177Lu S-values vs OpenDose ICRP 110 (dosimetry.md §4.1)", () => {
  // [sex, organ, OpenDose S mGy/(MBq·s), ICRP 110 phantom mass g]
  const openDose = [
    ["male", "kidneys", 7.712e-5, 309.994],
    ["male", "liver", 1.3713e-5, 1799.776],
    ["male", "spleen", 1.5967e-4, 149.968],
    ["female", "kidneys", 8.688e-5, 275.013],
    ["female", "liver", 1.7533e-5, 1399.995],
    ["female", "spleen", 1.8361e-4, 129.996],
  ] as const;
  it.each(openDose)(
    "%s %s: self-S within 1.5 percent of OpenDose %s, phantom mass within 0.05 percent of %s g",
    (sex, organ, s, m) => {
      const sv = lu177SValue(sex, organ, organ);
      expect(Math.abs(sv.mGyPerMBqS - s) / s).toBeLessThan(0.015);
      expect(sv.mGyPerMBqH).toBeCloseTo(sv.mGyPerMBqS * 3600, 12);
      expect(Math.abs(sv.targetPhantomMassG - m) / m).toBeLessThan(5e-4);
    },
  );
  it("self-S ≥ electrons-only K/m (photons add a few %), for kidneys/liver/spleen", () => {
    for (const sex of ["male", "female"] as const) {
      for (const organ of ["kidneys", "liver", "spleen"] as const) {
        const sv = lu177SValue(sex, organ, organ);
        const k = localDepositionConstant() / (LU177_PHANTOM_MASS_G[sex][organ] / 1000);
        expect(sv.mGyPerMBqH / k).toBeGreaterThan(0.99);
        expect(sv.mGyPerMBqH / k).toBeLessThan(1.1);
      }
    }
  });
  it("cross-S is orders of magnitude below self-S (kidneys ← liver)", () => {
    expect(lu177SValue("male", "kidneys", "liver").mGyPerMBqS).toBeLessThan(
      lu177SValue("male", "kidneys", "kidneys").mGyPerMBqS / 100,
    );
  });
  it("unknown keys throw naming the value", () => {
    // @ts-expect-error deliberate bad input
    expect(() => lu177SValue("other", "kidneys", "kidneys")).toThrow(
      'sex must be "male" or "female", got other',
    );
    // @ts-expect-error deliberate bad input
    expect(() => lu177SValue("male", "brain", "kidneys")).toThrow(
      /target must be one of .*got brain/,
    );
    // @ts-expect-error deliberate bad input
    expect(() => lu177SValue("male", "kidneys", "brain")).toThrow(
      /source must be one of .*got brain/,
    );
  });
});

describe("organAbsorbedDoseLu177 (MIRD sum)", () => {
  it("Example D1 kidneys with the bundled table: within 1 % of 3861.7 mGy (OpenDose)", () => {
    const r = organAbsorbedDoseLu177(
      "male",
      "kidneys",
      [{ source: "kidneys", tiaMBqH: 15704.8 }],
      350,
    );
    expect(r.contributions[0]?.massScaled).toBe(true);
    expect(r.contributions[0]?.sMGyPerMBqH).toBeCloseTo(7.76e-5 * 3600 * (310 / 350), 9);
    expect(Math.abs(r.doseMGy - 3861.7) / 3861.7).toBeLessThan(0.01);
    expect(r.doseGy).toBeCloseTo(r.doseMGy / 1000, 12);
  });
  it("adds cross-dose from other sources without mass-scaling them (hand sum)", () => {
    const r = organAbsorbedDoseLu177(
      "female",
      "kidneys",
      [
        { source: "kidneys", tiaMBqH: 10000 },
        { source: "liver", tiaMBqH: 20000 },
      ],
      275,
    );
    const expected = 10000 * 8.7e-5 * 3600 + 20000 * 1.51e-7 * 3600;
    expect(r.doseMGy).toBeCloseTo(expected, 6);
    expect(r.contributions[1]?.massScaled).toBe(false);
  });
  it("bad input names the field", () => {
    expect(() => organAbsorbedDoseLu177("male", "kidneys", [])).toThrow(
      "sources must contain ≥ 1 source region, got 0",
    );
    expect(() =>
      organAbsorbedDoseLu177("male", "kidneys", [{ source: "kidneys", tiaMBqH: -5 }]),
    ).toThrow("sources[0].tiaMBqH must be ≥ 0, got -5");
    expect(() =>
      organAbsorbedDoseLu177("male", "kidneys", [{ source: "kidneys", tiaMBqH: 5 }], 0),
    ).toThrow("patientTargetMassG must be > 0, got 0");
  });
});

describe("tumour spheres – dosimetry.md §4.3 table and Example D5", () => {
  it.each([
    [1, 85.31],
    [5, 17.06],
    [10, 8.531],
    [20, 4.265],
    [50, 1.706],
    [100, 0.8531],
    [500, 0.1706],
  ])("m = %f g → S = %f mGy/(MBq·h)", (m, s) => {
    expect(Math.abs(sphereLocalDepositionS(m).sMGyPerMBqH - s) / s).toBeLessThan(5e-4);
  });
  it("warns below 1 g (φ < 1, partial volume)", () => {
    expect(sphereLocalDepositionS(0.5).warning).toMatch(/massG = 0.5 g < 1 g/);
    expect(sphereLocalDepositionS(2).warning).toBeNull();
  });
  it("Example D5: 20 g, 24 h 20 MBq, 168 h 10 MBq → Ã 4663.8 MBq·h, D 19.89 Gy (2.69 Gy/GBq)", () => {
    const fit = fitMonoExponential([24, 168], [20, 10], LU_S);
    expect(fit.effectiveHalfLifeH).toBeCloseTo(144, 9);
    expect(fit.lambdaEffPerH).toBeCloseTo(0.0048135, 7);
    expect(fit.a0MBq).toBeCloseTo(22.449, 3);
    expect(fit.tiaMBqH).toBeCloseTo(4663.8, 1);
    const d = localDepositionDoseGy(fit.tiaMBqH, 20);
    expect(d * 1000).toBeCloseTo(19892.5, 0);
    expect(d / 7.4).toBeCloseTo(2.69, 2);
  });
  it("rejects mass ≤ 0", () => {
    expect(() => sphereLocalDepositionS(0)).toThrow("massG must be > 0, got 0");
  });
});

describe("red marrow from blood – dosimetry.md §5 and Example D8", () => {
  it("Ã_RM = 3713.5 MBq·h, D_RM,self = 270.8 mGy (0.0366 Gy/GBq)", () => {
    const c = sumOfExponentialsIntegral([
      { amplitude: 1.2, halfLifeH: 1.5 },
      { amplitude: 0.01, halfLifeH: 40 },
    ]);
    const r = redMarrowSelfDoseFromBlood({
      bloodTiaConcentrationMBqHPerMl: c,
      redMarrowMassG: 1170,
    });
    expect(r.tiaRedMarrowMBqH).toBeCloseTo(3713.5, 0);
    expect(r.selfDoseMGy).toBeCloseTo(270.8, 1);
    expect(r.totalDoseGy / 7.4).toBeCloseTo(0.0366, 4);
  });
  it("cross-dose is added; RMBLR scales the self-dose linearly", () => {
    const base = redMarrowSelfDoseFromBlood({
      bloodTiaConcentrationMBqHPerMl: 3,
      redMarrowMassG: 900,
    });
    const half = redMarrowSelfDoseFromBlood({
      bloodTiaConcentrationMBqHPerMl: 3,
      redMarrowMassG: 900,
      rmblr: 0.5,
    });
    expect(half.selfDoseMGy).toBeCloseTo(base.selfDoseMGy / 2, 9);
    const withCross = redMarrowSelfDoseFromBlood({
      bloodTiaConcentrationMBqHPerMl: 3,
      redMarrowMassG: 900,
      crossDoseMGy: 100,
    });
    expect(withCross.totalDoseMGy).toBeCloseTo(base.selfDoseMGy + 100, 9);
  });
  it("bad input names the field", () => {
    expect(() =>
      redMarrowSelfDoseFromBlood({ bloodTiaConcentrationMBqHPerMl: 3, redMarrowMassG: 0 }),
    ).toThrow("redMarrowMassG must be > 0, got 0");
    expect(() =>
      redMarrowSelfDoseFromBlood({ bloodTiaConcentrationMBqHPerMl: -3, redMarrowMassG: 900 }),
    ).toThrow("bloodTiaConcentrationMBqHPerMl must be ≥ 0, got -3");
  });
});
