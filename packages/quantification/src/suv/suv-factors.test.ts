import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PetSuvMetadata } from "./pet-metadata.js";
import { computeSuvFactors, type SuvFactorsResult } from "./suv-factors.js";

const here = dirname(fileURLToPath(import.meta.url));
// Copy of /work/shared/data/calculate-suv/metadata (see test/fixtures/calculate-suv/PROVENANCE.md).
const CALC_SUV_DIR = join(here, "../../test/fixtures/calculate-suv");
const ORTHANC = JSON.parse(
  readFileSync(join(here, "../../test/fixtures/orthanc-pet-slices.json"), "utf8"),
) as Record<string, PetSuvMetadata & { RescaleSlope: number }>;

function series(name: string): PetSuvMetadata[] {
  return JSON.parse(readFileSync(join(CALC_SUV_DIR, name), "utf8")) as PetSuvMetadata[];
}
function orthanc(name: string): PetSuvMetadata & { RescaleSlope: number } {
  const v = ORTHANC[name];
  if (!v) throw new Error(`fixture ${name} missing`);
  return v;
}
function ok(r: SuvFactorsResult): Extract<SuvFactorsResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.reasons)}`);
  return r;
}
function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

// The library warns on console when PatientSize is absent; keep the test output readable.
beforeEach(() => {
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/*
 * Expected factors for the calculate-suv metadata (PROVENANCE.md: "derive them from
 * the headers with the formulas in suv.md"): factor = W_g / (A · 2^(−Δt/T½)) (suv.md §2.2, Example S1),
 * Δt = reference time − injection time read off the JSON by hand, computed independently in Python.
 */
const EXPECTED: [file: string, dtS: number, factor: number, method: string][] = [
  // Series 10:48:29 ≤ acquisition 10:48:30.35; injection 08:30:45 → 8264 s; 67 kg, 374 MBq
  ["SIEMENS-instances.json", 8264, 0.00042748316187197236, "BQML_START"],
  // Series 09:56:21 = acquisition; injection 08:45:00 → 4281 s; 52 kg, 152.02272 MBq
  ["GE_MEDICAL_AND_BQML-instances.json", 4281, 0.0005367387681819742, "BQML_START"],
  // Series 11:01:55; injection 10:00:58 → 3657 s; 64 kg, 126 MBq
  ["PHILIPS_BQML-instances.json", 3657, 0.0007463747013889488, "BQML_START"],
  // Series 13:54:31.843; StartTime only, 12:50:00 → 3871.843 s; 102 kg, 412 MBq
  ["RADIOPHARM_DATETIME_UNDEFINED-instances.json", 3871.843, 0.00037210892028441254, "BQML_START"],
  // Series 12:35:15.000000 is 5 µs after acquisition 12:35:14.999995 → earliest acquisition (QIBA step 3); 11:41:00 → 3255 s
  ["BQML_AC_DT_lessThan_S_DT_SIEMENS-instances.json", 3255, 0.00040691568561534785, "BQML_START"],
  // Series 13:49:18 after acquisition 13:03:48.234 → earliest acquisition; injection 12:00:37 → 3791.234 s; 69 kg, 388 MBq
  ["CPS_AND_BQML_AC_DT_-_S_DT-instances.json", 3791.234, 0.00026503312764247485, "BQML_START"],
  // Philips CNTS with (7053,1000) SUV Scale Factor "0.000551": vendor factor used as is
  ["PHILIPS_CNTS_AND_BQML_SUV-instances.json", 3956, 0.000551, "CNTS_PHILIPS_SUV_SCALE"],
  ["PHILIPS_CNTS_AND_SUV-instances.json", 4551, 0.000728, "CNTS_PHILIPS_SUV_SCALE"],
];

describe("computeSuvFactors on the calculate-suv metadata (suv.md §2.2)", () => {
  it("covers every JSON file in the data folder", () => {
    expect(
      readdirSync(CALC_SUV_DIR)
        .filter((f) => f.endsWith(".json"))
        .sort(),
    ).toEqual(EXPECTED.map((e) => e[0]).sort());
  });
  it.each(EXPECTED)("%s: Δt %f s, SUVbw factor %f (rel. tol 1e-9)", (file, dtS, factor, method) => {
    const r = ok(computeSuvFactors(series(file)));
    expect(r.method).toBe(method);
    expect(Math.abs(r.decayS! - dtS)).toBeLessThan(1e-3);
    expect(rel(r.suvbw, factor)).toBeLessThan(1e-9);
    expect(r.suvbwPerInstance).toHaveLength(3);
    for (const f of r.suvbwPerInstance) expect(rel(f, factor)).toBeLessThan(1e-9);
  });
  it("Philips CNTS: the vendor SUV factor 0.000551 agrees with ACSF 1.602563 × QIBA factor (0.00055131) within 0.1 %", () => {
    const s = series("PHILIPS_CNTS_AND_BQML_SUV-instances.json");
    const vendor = ok(computeSuvFactors(s));
    expect(vendor.activityConcentrationPerUnit).toBeCloseTo(1.602563, 9);
    const acsfOnly = s.map((i) => ({
      ...i,
      PhilipsPETPrivateGroup: { ActivityConcentrationScaleFactor: "1.602563" },
    }));
    const computed = ok(computeSuvFactors(acsfOnly));
    expect(computed.method).toBe("CNTS_PHILIPS_ACTIVITY_SCALE");
    expect(rel(computed.suvbw, 0.0005513103318666926)).toBeLessThan(1e-9);
    expect(rel(computed.suvbw, vendor.suvbw)).toBeLessThan(1e-3);
  });
  it("GE series with height and sex: SUL James-128 / Janmahasatian, SUVbsa, SUVibw (suv.md §1.1; F 52 kg 1.65 m)", () => {
    const r = ok(computeSuvFactors(series("GE_MEDICAL_AND_BQML-instances.json")));
    // James F = 1.07·52 − 148·(52/165)² = 40.9406 kg ; Janma F = 9270·52/(8780 + 244·19.100) = 35.8649 kg
    expect(rel(r.sulJames!, 0.0005367387681819742 * (40.94056932966024 / 52))).toBeLessThan(1e-9);
    expect(rel(r.sulJanma!, 0.0005367387681819742 * (35.864944228927165 / 52))).toBeLessThan(1e-9);
    expect(rel(r.suvbsa!, 0.00016110285087632338)).toBeLessThan(1e-9);
    expect(rel(r.suvibw!, 0.0005917544919206266)).toBeLessThan(1e-9);
    expect(r.inputs.lbmFormulas).toEqual({ sulJames: "LBMJAMES128", sulJanma: "LBMJANMA" });
  });
});

describe("worked examples S1/S2 (suv.md §4)", () => {
  const s1: PetSuvMetadata = {
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
  it("S1: factor 2.960750e−4, SUVbw of 4800 × 2.5 = 3.5529", () => {
    const r = ok(computeSuvFactors(s1));
    expect(rel(r.suvbw, 2.96075e-4)).toBeLessThan(1e-6);
    expect(4800 * 2.5 * r.suvbw).toBeCloseTo(3.5529, 4);
    expect(r.decayS).toBeCloseTo(3600, 9);
  });
  it("S2: 68Ga injected 23:40, scan 00:35 next day with only StartTime → Δt 3300 s, SUVbw 10.536 (midnight roll-over)", () => {
    const r = ok(
      computeSuvFactors({
        ...s1,
        RadionuclideTotalDose: 200, // MBq, detected (suv.md §2.1)
        RadionuclideHalfLife: 4062.6,
        PatientWeight: 60,
        SeriesDate: "20240306",
        SeriesTime: "003500",
        AcquisitionDate: "20240306",
        AcquisitionTime: "003500",
        RadiopharmaceuticalStartTime: "234000",
      }),
    );
    expect(r.decayS).toBeCloseTo(3300, 6);
    expect(20000 * r.suvbw).toBeCloseTo(10.536, 3);
    expect(r.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(["MIDNIGHT_ROLLOVER", "DOSE_IN_MBQ"]),
    );
  });
  it("weight typed in grams (75 000) is converted with a warning", () => {
    const r = ok(computeSuvFactors({ ...s1, PatientWeight: 75000 }));
    expect(rel(r.suvbw, 2.96075e-4)).toBeLessThan(1e-6);
    expect(r.warnings.some((w) => w.code === "WEIGHT_IN_GRAMS" && w.value === 75000)).toBe(true);
  });
  it("DecayCorrection ADMIN: factor = W/A without decay (the library ignores ADMIN)", () => {
    const r = ok(computeSuvFactors({ ...s1, DecayCorrection: "ADMIN" }));
    expect(r.method).toBe("BQML_ADMIN");
    expect(r.decayS).toBe(0);
    expect(rel(r.suvbw, 75000 / 370e6)).toBeLessThan(1e-12);
  });
  it("Philips CNTS with ADMIN: Activity Concentration Scale Factor × W/A, no decay", () => {
    const r = ok(
      computeSuvFactors({
        ...s1,
        Units: "CNTS",
        DecayCorrection: "ADMIN",
        PhilipsPETPrivateGroup: { ActivityConcentrationScaleFactor: "1.5" },
      }),
    );
    expect(r.method).toBe("CNTS_PHILIPS_ACTIVITY_SCALE");
    expect(rel(r.suvbw, (1.5 * 75000) / 370e6)).toBeLessThan(1e-12);
    expect(r.activityConcentrationPerUnit).toBe(1.5);
  });
  it("nuclide option: header T½ checked against the table (radionuclides.md §2), table used when missing", () => {
    const same = ok(computeSuvFactors(s1, { nuclide: "F-18" }));
    expect(same.warnings.some((w) => w.code === "HALF_LIFE_MISMATCH")).toBe(false);
    // 68Ga header value with an 18F series → mismatch warning naming the value
    const wrong = ok(
      computeSuvFactors({ ...s1, RadionuclideHalfLife: 4062.6 }, { nuclide: "18F" }),
    );
    expect(wrong.warnings.find((w) => w.code === "HALF_LIFE_MISMATCH")?.value).toBe(4062.6);
    const missing = ok(
      computeSuvFactors({ ...s1, RadionuclideHalfLife: undefined }, { nuclide: "18F" }),
    );
    expect(missing.inputs.halfLifeS).toBeCloseTo(6586.2, 9);
    expect(rel(missing.suvbw, 2.96075e-4)).toBeLessThan(1e-6);
    expect(() => computeSuvFactors(s1, { nuclide: "Xx-1" })).toThrow(/got "Xx-1"/);
  });
  it("GML: already SUVbw, factor 1", () => {
    const r = ok(computeSuvFactors({ ...s1, Units: "GML", RadionuclideTotalDose: undefined }));
    expect(r.method).toBe("GML_ALREADY_SUV");
    expect(r.suvbw).toBe(1);
    expect(r.activityConcentrationPerUnit).toBeNull();
  });
  it("Patient's Sex O: SUL omitted by default, mean of M and F with otherSexPolicy 'mean'", () => {
    const o = { ...s1, PatientSex: "O", PatientSize: 1.8, PatientWeight: 80 };
    const omit = ok(computeSuvFactors(o));
    expect(omit.sulJames).toBeUndefined();
    expect(omit.suvbsa).toBeDefined();
    const mean = ok(computeSuvFactors(o, { otherSexPolicy: "mean" }));
    const jamesMean = (62.716049382716 + (1.07 * 80 - 148 * (80 / 180) ** 2)) / 2;
    expect(rel(mean.sulJames!, (mean.suvbw * jamesMean) / 80)).toBeLessThan(1e-6);
  });
});

describe("DecayCorrection NONE and reference-time policies (suv.md §2.3, §2.4)", () => {
  const s1: PetSuvMetadata = {
    Units: "BQML",
    CorrectedImage: ["ATTN", "DECY"],
    DecayCorrection: "NONE",
    RadionuclideTotalDose: 370000000,
    RadionuclideHalfLife: 6586.2,
    PatientWeight: 75,
    SeriesDate: "20240305",
    SeriesTime: "103000",
    AcquisitionDate: "20240305",
    AcquisitionTime: "103000",
    ActualFrameDuration: 180000,
    RadiopharmaceuticalStartTime: "093000",
  };
  it("NONE: per-frame factor W/A · λT/(1 − e^(−λT)) · e^(λ(t_acq − t_adm)); a bed 3 min later gets its own factor", () => {
    // S1 inputs, 180 s frames: 2.988882e−4 (bed 1, 3600 s) and 3.046042e−4 (bed 2, 3780 s), computed independently
    const r = ok(computeSuvFactors([s1, { ...s1, AcquisitionTime: "103300" }]));
    expect(r.method).toBe("BQML_NONE_PER_FRAME");
    expect(rel(r.suvbwPerInstance[0]!, 0.00029888823702111213)).toBeLessThan(1e-9);
    expect(rel(r.suvbwPerInstance[1]!, 0.00030460423312739086)).toBeLessThan(1e-9);
    expect(r.inputs.library).toBeNull();
  });
  it("NONE without frame duration is refused naming ActualFrameDuration", () => {
    const r = computeSuvFactors({ ...s1, ActualFrameDuration: undefined });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.reasons[0]).toMatchObject({
        code: "FRAME_TIMING_MISSING",
        attribute: "ActualFrameDuration",
      });
  });
  it("backCompute on the Siemens series reproduces its Series Time within 0.03 s (t_acq + T_ave − FrameReferenceTime)", () => {
    const r = ok(
      computeSuvFactors(series("SIEMENS-instances.json"), { referenceTimePolicy: "backCompute" }),
    );
    expect(r.method).toBe("BQML_START_BACK_COMPUTED");
    expect(r.inputs.referenceTimeSource).toBe("BackComputedFrameTiming");
    expect(Math.abs(r.decayS! - 8263.975786481104)).toBeLessThan(1e-3);
    expect(Math.abs(r.decayS! - 8264)).toBeLessThan(0.03);
    expect(rel(r.suvbw, 0.00042748207252328314)).toBeLessThan(1e-9);
  });
  it("rewritten Series Time (CPS_AND_BQML): QIBA uses the earliest acquisition, backCompute adds T_ave = 89.86 s", () => {
    const s = series("CPS_AND_BQML_AC_DT_-_S_DT-instances.json");
    const qiba = ok(computeSuvFactors(s));
    const back = ok(computeSuvFactors(s, { referenceTimePolicy: "backCompute" }));
    expect(qiba.inputs.referenceTimeSource).toBe("EarliestAcquisition");
    expect(back.decayS! - qiba.decayS!).toBeCloseTo(89.858, 2);
    expect(rel(back.suvbw, 0.0002675513973104938)).toBeLessThan(1e-9);
  });
  it("backCompute without FrameReferenceTime is refused naming it", () => {
    const s = series("SIEMENS-instances.json").map((i) => ({
      ...i,
      FrameReferenceTime: undefined,
    }));
    const r = computeSuvFactors(s, { referenceTimePolicy: "backCompute" });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.reasons[0]).toMatchObject({
        code: "FRAME_TIMING_MISSING",
        attribute: "FrameReferenceTime",
      });
  });
});

describe("refusals name the attribute and value, and keep activity concentration", () => {
  it("Orthanc Issue94 (Philips, no Series/Acquisition times, no weight): refused, Bq/mL still available", () => {
    const slice = orthanc("Issue94.dcm");
    const r = computeSuvFactors(slice);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const attrs = r.reasons.map((x) => x.attribute);
    expect(attrs).toEqual(
      expect.arrayContaining([
        "PatientWeight",
        "SeriesDate",
        "SeriesTime",
        "AcquisitionDate",
        "AcquisitionTime",
      ]),
    );
    expect(r.reasons.find((x) => x.attribute === "PatientWeight")?.message).toMatch(
      /PatientWeight is missing/,
    );
    expect(r.activityConcentrationPerUnit).toBe(1);
    // stored value 1000 → 1000 × slope × 1 Bq/mL
    expect(1000 * slice.RescaleSlope * r.activityConcentrationPerUnit!).toBeCloseTo(10876.161, 6);
  });
  it("Orthanc CP246 (CPS, PatientWeight 0, dose '3.885e+008'): refused as missing weight, Bq/mL still available", () => {
    const slice = orthanc("2021-02-19-MalaterreCP246.dcm");
    const r = computeSuvFactors(slice);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reasons).toHaveLength(1);
    expect(r.reasons[0]).toMatchObject({
      code: "WEIGHT_MISSING",
      attribute: "PatientWeight",
      value: 0,
    });
    expect(r.reasons[0]!.message).toMatch(/got 0/);
    expect(r.activityConcentrationPerUnit).toBe(1);
    // with a weight supplied, the exponent-format dose parses (3.885e8 Bq) and the 20-day date gap is flagged
    const fixed = ok(computeSuvFactors({ ...slice, PatientWeight: 70 }));
    expect(fixed.inputs.injectedDoseBq).toBe(3.885e8);
    expect(fixed.warnings.some((w) => w.code === "REFERENCE_TIME_SUSPECT")).toBe(true);
  });
  it("Orthanc SalimKanoun (Siemens mCT, complete): SUVbw factor 82 kg / (290 MBq · 2^(−4338/6586.2))", () => {
    const r = ok(computeSuvFactors(orthanc("2020-11-16-SalimKanounAnonymization.dcm")));
    expect(r.decayS).toBeCloseTo(4338, 6);
    expect(rel(r.suvbw, 0.0004463640735541788)).toBeLessThan(1e-9);
  });
  it("unsupported units, missing corrections, unknown decay correction and bad numbers are each named", () => {
    const base = series("SIEMENS-instances.json")[0]!;
    const cases: [PetSuvMetadata, string, string, RegExp][] = [
      [{ ...base, Units: "CPS" }, "UNITS_UNSUPPORTED", "Units", /got "CPS"/],
      [
        { ...base, CorrectedImage: ["ATTN"] },
        "NOT_ATTN_DECY_CORRECTED",
        "CorrectedImage",
        /got "ATTN"/,
      ],
      [
        { ...base, DecayCorrection: "XYZ" },
        "DECAY_CORRECTION_UNSUPPORTED",
        "DecayCorrection",
        /got "XYZ"/,
      ],
      [{ ...base, RadionuclideTotalDose: -5 }, "DOSE_INVALID", "RadionuclideTotalDose", /got -5/],
      [
        { ...base, RadionuclideHalfLife: "abc" },
        "HALF_LIFE_INVALID",
        "RadionuclideHalfLife",
        /got abc/,
      ],
      [{ ...base, PatientWeight: -70 }, "WEIGHT_INVALID", "PatientWeight", /got -70/],
      [{ ...base, SeriesTime: "25xx" }, "TIME_INVALID", "SeriesTime", /got "25xx"/],
      [
        {
          ...base,
          RadiopharmaceuticalStartDateTime: "20201217120000",
          RadiopharmaceuticalStartTime: undefined,
        },
        "DECAY_TIME_NEGATIVE",
        "RadiopharmaceuticalStartDateTime",
        /decay time -4291 s must be >= 0/,
      ],
      [
        {
          ...base,
          RadiopharmaceuticalStartDateTime: undefined,
          RadiopharmaceuticalStartTime: undefined,
        },
        "INJECTION_TIME_MISSING",
        "RadiopharmaceuticalStartDateTime",
        /got null/,
      ],
      [
        { ...base, Units: "CNTS", PhilipsPETPrivateGroup: { SUVScaleFactor: "0" } },
        "PHILIPS_SCALE_FACTOR_MISSING",
        "PhilipsPETPrivateGroup",
        /SUVScaleFactor/,
      ],
    ];
    for (const [meta, code, attribute, msg] of cases) {
      const r = computeSuvFactors(meta);
      expect(r.ok, code).toBe(false);
      if (r.ok) continue;
      const hit = r.reasons.find((x) => x.code === code);
      expect(hit, `${code} in ${JSON.stringify(r.reasons)}`).toBeDefined();
      expect(hit!.attribute).toBe(attribute);
      expect(hit!.message).toMatch(msg);
    }
  });
  it("instances from different series are refused naming the attribute", () => {
    const s = series("SIEMENS-instances.json");
    const r = computeSuvFactors([s[0]!, { ...s[1]!, PatientWeight: 68 }]);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.reasons[0]).toMatchObject({
        code: "SERIES_INCONSISTENT",
        attribute: "PatientWeight",
        value: 68,
      });
  });
  it("an empty series is refused; a non-object throws a TypeError naming the value", () => {
    const r = computeSuvFactors([]);
    expect(r.ok).toBe(false);
    expect(() => computeSuvFactors(42 as unknown as PetSuvMetadata)).toThrow(
      /instances must be .* got 42/,
    );
  });
});
