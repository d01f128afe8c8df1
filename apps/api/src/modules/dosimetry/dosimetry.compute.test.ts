import { describe, expect, it } from "vitest";
import type { DosimetryVoiDoc } from "@lutetia/db";
import { computeRecord, hoursPostInjection, type ComputeInput } from "./dosimetry.compute";

const T0 = new Date("2026-03-02T10:00:00Z");
const at = (h: number) => new Date(T0.getTime() + h * 3_600_000).toISOString();
const tps = (hours: number[]) => hours.map((h, i) => ({ key: `tp${i + 1}`, acquiredAt: at(h), imagingStudyId: null, label: null }));
const voi = (v: Partial<DosimetryVoiDoc> & Pick<DosimetryVoiDoc, "key" | "kind" | "activities">): DosimetryVoiDoc => ({
  label: v.key, lesionId: null, massG: null, volumeMl: null, model: "MONO_EXP", stpTimepointKey: null, source: "entered", ...v,
});
const acts = (values: number[]) => Object.fromEntries(values.map((a, i) => [`tp${i + 1}`, a]));
const base = (over: Partial<ComputeInput>): ComputeInput => ({
  administeredActivityMBq: 7400, administeredAt: T0, phantomSex: "MALE", activityRelSd: 0.1, calibrationRelSd: 0.05, massRelSd: 0.1,
  timepoints: tps([24, 96, 168]), vois: [], ...over,
});
const rel = (a: number | null, b: number, tol = 1e-4) => {
  expect(a).not.toBeNull();
  expect(Math.abs((a as number) - b) / Math.abs(b)).toBeLessThanOrEqual(tol);
};

describe("computeRecord (dosimetry.md worked examples)", () => {
  it("hours post-injection from the administration start", () => {
    expect(hoursPostInjection(T0, at(96))).toBeCloseTo(96, 9);
    expect(hoursPostInjection(T0, at(-1))).toBeCloseTo(-1, 9);
  });

  it("Example D1 points per kidney (half activity, half mass): Ã and T_eff of D1; D2 Hänscheid; D4 trapezoid", () => {
    // Each kidney 60/30/15 MBq at 24/96/168 h, 175 g: Ã = ½ × 15 704.8 = 7852.4 MBq·h, T_eff = 72 h (D1).
    const mk = (model: DosimetryVoiDoc["model"]) => computeRecord(base({ vois: [voi({ key: "kl", kind: "KIDNEY_LEFT", massG: 175, model, activities: acts([60, 30, 15]) })] })).vois[0]!;
    const mono = mk("MONO_EXP");
    rel(mono.tiaMBqH, 15704.8 / 2, 1e-4);
    rel(mono.effectiveHalfLifeH, 72, 1e-9);
    // S self-scaled: male kidneys 7.76e-5 mGy/(MBq·s) × 3600 × 310/175 → D = Ã·S/1000.
    rel(mono.doseGy, ((15704.8 / 2) * 7.76e-5 * 3600 * (310 / 175)) / 1000, 1e-4);
    // BED = D(1 + D·G/α/β), G = 2.8/74.8 (D6 method).
    const d = mono.doseGy as number;
    rel(mono.bedGy, d * (1 + (d * (2.8 / 74.8)) / 2.6), 1e-6);
    expect(mono.doseSdGy).toBeGreaterThan(0);
    // D2: Hänscheid from the last point is the model's default: Ã = 15·2·168/ln2 (168 h here).
    rel(mk("SINGLE_TIME_POINT").tiaMBqH, (15 * 2 * 168) / Math.LN2, 1e-12);
    // D4 policy (a): ½·24·60 + ½·72·90 + ½·72·45 + 15/(ln2/72) = 720 + 3240 + 1620 + 1558.1 = 7138.1.
    rel(mk("TRAPEZOID_TAIL").tiaMBqH, 14276.2 / 2, 1e-4);
    // Bi-exponential needs ≥ 4 points: refused with the count, other VOIs unaffected.
    expect(mk("BI_EXP").error).toMatch(/needs ≥ 4/);
  });

  it("Example D5 tumour by local deposition; volume-only tumour uses 1.06 g/mL; no mass → error naming massG", () => {
    const r = computeRecord(base({
      timepoints: tps([24, 168]),
      vois: [
        voi({ key: "t1", kind: "TUMOUR", massG: 20, activities: acts([20, 10]) }),
        voi({ key: "t2", kind: "TUMOUR", volumeMl: 20, activities: acts([20, 10]) }),
        voi({ key: "t3", kind: "TUMOUR", activities: acts([20, 10]) }),
      ],
    }));
    rel(r.vois[0]!.tiaMBqH, 4663.8, 1e-4);
    rel(r.vois[0]!.doseGy, 19.8925, 1e-3);
    rel(r.vois[1]!.doseGy, 19.8925 / 1.06, 1e-3);
    expect(r.vois[2]!.error).toMatch(/massG .* got null/);
    expect(r.organs).toEqual([]);
    expect(r.warnings[0]).toContain("t3");
  });

  it("kidneys in the ledger = the kidney with the higher dose; marrow from blood (D8 method)", () => {
    const r = computeRecord(base({
      vois: [
        voi({ key: "kl", kind: "KIDNEY_LEFT", massG: 175, activities: acts([60, 30, 15]) }),
        voi({ key: "kr", kind: "KIDNEY_RIGHT", massG: 150, activities: acts([60, 30, 15]) }),
        voi({ key: "m", kind: "BONE_MARROW", activities: acts([0.05 * 2 ** (-24 / 30), 0.05 * 2 ** (-96 / 30), 0.05 * 2 ** (-168 / 30)]) }),
      ],
    }));
    const kid = r.organs.find((o) => o.organ === "KIDNEYS")!;
    expect(kid.voiKey).toBe("kr"); // smaller mass → higher dose
    rel(kid.doseGy, r.vois[1]!.doseGy as number, 1e-12);
    // D = K·[Ã]_blood, [Ã]_blood = 0.05·30/ln2, K = 0.0853063 mGy·kg/(MBq·h).
    rel(r.organs.find((o) => o.organ === "BONE_MARROW")!.doseGy, (0.0853063 * 0.05 * 30) / Math.LN2, 1e-5);
    // Male ICRP 89 red-marrow mass used when none is given.
    expect(r.vois[2]!.massG).toBe(1170);
  });

  it("organ S-values need a phantom sex; a single kidney needs its mass", () => {
    const r = computeRecord(base({ phantomSex: null, vois: [voi({ key: "l", kind: "LIVER", activities: acts([300, 200, 120]) }), voi({ key: "kl", kind: "KIDNEY_LEFT", activities: acts([60, 30, 15]) })] }));
    expect(r.vois[0]!.error).toMatch(/phantomSex is required/);
    const r2 = computeRecord(base({ vois: [voi({ key: "kl", kind: "KIDNEY_LEFT", activities: acts([60, 30, 15]) })] }));
    expect(r2.vois[0]!.error).toMatch(/massG \(or volumeMl\) is required for a single-kidney VOI/);
  });
});
