import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readShared, sharedPath } from "../test/shared-data.js";
import type { Finding } from "./findings.js";
import { parseDicomPart10 } from "./parse.js";
import { coercePetMetadata, extractPetMetadata, type PetInstanceMetadata } from "./pet-metadata.js";
import { frameAverageTimeS, runPetQa, type PetQaResult } from "./qa.js";

const ORTHANC = "orthanc-tests-pet-slices";
const load = (file: string) => parseDicomPart10(readShared(ORTHANC, file), file);
const codes = (r: PetQaResult, severity?: Finding["severity"]): string[] =>
  r.findings.filter((f) => severity === undefined || f.severity === severity).map((f) => f.code);
const finding = (r: PetQaResult, code: string): Finding => {
  const f = r.findings.find((x) => x.code === code);
  if (f === undefined) throw new Error(`no finding ${code} in ${codes(r).join(", ")}`);
  return f;
};

/** A complete, valid FDG header: suv.md example S1 (dose 370 MBq at 09:30, series 10:30). */
const S1: PetInstanceMetadata = {
  sourceName: "s1.dcm",
  Modality: "PT",
  CorrectedImage: ["ATTN", "DECY"],
  Units: "BQML",
  DecayCorrection: "START",
  PatientWeight: 75,
  RadionuclideTotalDose: 370_000_000,
  RadionuclideHalfLife: 6586.2,
  RadiopharmaceuticalStartDateTime: "20240305093000",
  SeriesDate: "20240305",
  SeriesTime: "103000",
  AcquisitionDate: "20240305",
  AcquisitionTime: "103000",
  RescaleIntercept: 0,
};

describe("runPetQa on real slices", () => {
  it("Siemens BQML slice with full header: no blocking finding, Δt = 11:12:18 − 10:00:00", () => {
    const r = runPetQa([load("2020-11-16-SalimKanounAnonymization.dcm")]);
    expect(codes(r, "BLOCKING")).toEqual([]);
    expect(r.referenceTimeSource).toBe("series");
    expect(r.decayTimeS).toBeCloseTo(4338, 6);
    expect(r.nuclide?.nuclide).toBe("18F");
  });

  it("Philips slice without weight and series times: BLOCKING, messages name file and attributes", () => {
    const r = runPetQa([load("Issue94.dcm")]);
    expect(r.blocking).toBe(true);
    const w = finding(r, "WEIGHT_MISSING");
    expect(w.severity).toBe("BLOCKING");
    expect(w.attribute).toBe("PatientWeight (0010,1030)");
    expect(w.message).toContain("Issue94.dcm");
    const t = finding(r, "SERIES_DATETIME_MISSING");
    expect(t.severity).toBe("BLOCKING");
    expect(t.message).toContain("SeriesTime (0008,0031)");
  });

  it("overrides clear the Issue94 blockers and are reported for audit", () => {
    const r = runPetQa([load("Issue94.dcm")], {
      overrides: { PatientWeight: 72, ReferenceDateTime: "20160527125000" },
    });
    expect(codes(r, "BLOCKING")).toEqual([]);
    expect(r.overridesApplied).toEqual([
      { key: "PatientWeight", value: 72, headerValue: null },
      { key: "ReferenceDateTime", value: "20160527125000", headerValue: null },
    ]);
    expect(r.effective[0]?.PatientWeight).toBe(72);
    expect(r.referenceTimeSource).toBe("override");
    // 12:50:00 − 11:39:14 (Start DateTime) = 4246 s
    expect(r.decayTimeS).toBeCloseTo(4246, 6);
  });

  it("CPS JPEG-LS slice: weight 0 is BLOCKING, exponent-form dose is a WARNING with the parsed value", () => {
    const inst = load("2021-02-19-MalaterreCP246.dcm");
    const meta = extractPetMetadata(inst);
    expect(meta.RadionuclideTotalDose).toBeCloseTo(388_500_000, 0);
    expect(meta.exponentFormAttributes).toEqual(["RadionuclideTotalDose (0018,1074)"]);
    const r = runPetQa([inst]);
    const w = finding(r, "WEIGHT_ZERO");
    expect(w.severity).toBe("BLOCKING");
    expect(w.value).toBe(0);
    expect(w.message).toContain("2021-02-19-MalaterreCP246.dcm");
    expect(w.message).toContain("0 kg");
    const x = finding(r, "DS_EXPONENT_FORM");
    expect(x.severity).toBe("WARNING");
    expect(x.message).toContain("388500000");
    // Series Date 20040701 vs Acquisition Date 20040721 (PROVENANCE.md)
    expect(codes(r)).toContain("SERIES_ACQUISITION_DATE_MISMATCH");
  });
});

describe("runPetQa on calculate-suv vendor metadata (calculate-suv/metadata, see PROVENANCE.md)", () => {
  const dir = sharedPath("calculate-suv", "metadata");
  const cases = readdirSync(dir).filter((f) => f.endsWith(".json"));
  const loadJson = (f: string): PetInstanceMetadata[] =>
    (JSON.parse(readFileSync(`${dir}/${f}`, "utf8")) as Record<string, unknown>[]).map((rec, i) =>
      coercePetMetadata(rec, `${f}#${i + 1}`),
    );

  it("has the eight fixtures", () => {
    expect(cases.length).toBe(8);
  });

  it.each(cases)("%s: no BLOCKING finding (all are usable FDG series)", (f) => {
    const r = runPetQa(loadJson(f));
    expect(codes(r, "BLOCKING")).toEqual([]);
    expect(r.decayTimeS).toBeGreaterThan(0);
    expect(r.decayTimeS).toBeLessThan(4 * 3600);
    expect(r.effective[0]?.RadiopharmaceuticalStartDateTime).toMatch(/^\d{14}\.\d{6}$/);
  });

  it("Philips CNTS with SUV Scale Factor: private-factor WARNING, factor coerced to a number", () => {
    const m = loadJson("PHILIPS_CNTS_AND_SUV-instances.json");
    expect(m[0]?.PhilipsPETPrivateGroup?.SUVScaleFactor).toBeCloseTo(0.000728, 12);
    const r = runPetQa(m);
    expect(finding(r, "PHILIPS_CNTS_PRIVATE_FACTOR").severity).toBe("WARNING");
  });

  it("Philips CNTS with the private group stripped is BLOCKING", () => {
    const m = loadJson("PHILIPS_CNTS_AND_SUV-instances.json").map((x) => ({
      ...x,
      PhilipsPETPrivateGroup: undefined,
    }));
    const f = finding(runPetQa(m), "PHILIPS_CNTS_FACTORS_MISSING");
    expect(f.severity).toBe("BLOCKING");
    expect(f.message).toContain("CNTS");
  });

  it("Series Time after Acquisition Time: WARNING and earliest acquisition used (QIBA order)", () => {
    const r = runPetQa(loadJson("CPS_AND_BQML_AC_DT_-_S_DT-instances.json"));
    expect(finding(r, "SERIES_TIME_AFTER_ACQUISITION").severity).toBe("WARNING");
    expect(r.referenceTimeSource).toBe("earliest-acquisition");
    // 13:03:48.234 − 12:00:37 = 3791.234 s
    expect(r.decayTimeS).toBeCloseTo(3791.234, 3);
  });

  it("GE private scan time is preferred over a rewritten Series Time", () => {
    const m = loadJson("GE_MEDICAL_AND_BQML-instances.json").map((x) => ({
      ...x,
      SeriesTime: "100500",
      GEPrivatePostInjectionDateTime: "20201217095621.00",
    }));
    const r = runPetQa(m);
    expect(r.referenceTimeSource).toBe("ge-private");
    expect(codes(r)).toEqual(
      expect.arrayContaining(["SERIES_TIME_AFTER_ACQUISITION", "GE_PRIVATE_SCAN_TIME_DIFFERS"]),
    );
    expect(r.decayTimeS).toBeCloseTo(4281, 6); // 09:56:21 − 08:45:00 = 1 h 11 min 21 s
  });

  it("Start Time without date: WARNING that the Series Date was assumed", () => {
    const r = runPetQa(loadJson("RADIOPHARM_DATETIME_UNDEFINED-instances.json"));
    const f = finding(r, "INJECTION_DATE_ASSUMED");
    expect(f.severity).toBe("WARNING");
    expect(f.message).toContain("20201217");
  });
});

describe("runPetQa rules (suv.md worked examples and pitfalls)", () => {
  it("S1: complete header passes, Δt = 3600 s", () => {
    const r = runPetQa([S1]);
    expect(r.findings).toEqual([]);
    expect(r.decayTimeS).toBeCloseTo(3600, 9);
    expect(r.injectionDateTime).toBe("20240305093000.000000");
  });

  it("S2: injection 23:40 before a 00:35 series with only Start Time → rolled back one day, Δt = 3300 s", () => {
    const m: PetInstanceMetadata = {
      ...S1,
      RadionuclideHalfLife: 4062.6,
      RadiopharmaceuticalStartDateTime: undefined,
      RadiopharmaceuticalStartTime: "234000",
      SeriesDate: "20240306",
      SeriesTime: "003500",
      AcquisitionDate: "20240306",
      AcquisitionTime: "003500",
    };
    const r = runPetQa([m]);
    expect(r.decayTimeS).toBeCloseTo(3300, 9);
    expect(finding(r, "INJECTION_DATE_ASSUMED").message).toContain("minus one day");
    expect(r.effective[0]?.RadiopharmaceuticalStartDateTime).toBe("20240305234000.000000");
  });

  it("negative decay time beyond clock-drift tolerance is BLOCKING", () => {
    const r = runPetQa([{ ...S1, RadiopharmaceuticalStartDateTime: "20240305110000" }]);
    const f = finding(r, "DECAY_TIME_NEGATIVE");
    expect(f.severity).toBe("BLOCKING");
    expect(f.value).toBe(-1800);
  });

  it("a 60 s negative interval is only a WARNING (clock drift)", () => {
    const r = runPetQa([{ ...S1, RadiopharmaceuticalStartDateTime: "20240305103100" }]);
    expect(finding(r, "DECAY_TIME_NEGATIVE").severity).toBe("WARNING");
  });

  it("decay-time policy is in half-lives: 177Lu day 4 passes, 18F day 1 blocks, 90Y day 30 blocks, 18F 10 h warns", () => {
    const lu: PetInstanceMetadata = {
      ...S1,
      RadionuclideHalfLife: 574300.8,
      RadiopharmaceuticalName: "Lu-177 DOTATATE",
      RadionuclideTotalDose: 7.4e9,
      RadiopharmaceuticalStartDateTime: "20240301103000",
    };
    expect(runPetQa([lu]).findings).toEqual([]);
    const f18 = runPetQa([{ ...S1, RadiopharmaceuticalStartDateTime: "20240304103000" }]);
    expect(finding(f18, "DECAY_TIME_IMPLAUSIBLE").message).toMatch(
      /1\.00 d .* 13\.1 half-lives \(18F\)/,
    );
    const y90 = runPetQa([
      {
        ...S1,
        RadionuclideHalfLife: 230580,
        RadiopharmaceuticalName: "Y-90 DOTATOC",
        RadiopharmaceuticalStartDateTime: "20240204103000",
      },
    ]);
    expect(finding(y90, "DECAY_TIME_IMPLAUSIBLE").severity).toBe("BLOCKING");
    const late = runPetQa([{ ...S1, RadiopharmaceuticalStartDateTime: "20240305003000" }]);
    expect(finding(late, "DECAY_TIME_LONG").severity).toBe("WARNING");
    const lenient = runPetQa([{ ...S1, RadiopharmaceuticalStartDateTime: "20240304103000" }], {
      policy: { blockAfterHalfLives: 20, warnAfterHalfLives: 15 },
    });
    expect(lenient.findings).toEqual([]);
  });

  it("177Lu with only a Start Time (no date) is BLOCKING until the date is supplied by override", () => {
    const lu: PetInstanceMetadata = {
      ...S1,
      Modality: "NM",
      Units: "BQML",
      RadionuclideHalfLife: 574300.8,
      RadiopharmaceuticalName: "177Lu-DOTATATE",
      RadiopharmaceuticalStartDateTime: undefined,
      RadiopharmaceuticalStartTime: "090000",
    };
    const r = runPetQa([lu]);
    expect(finding(r, "INJECTION_DATE_ASSUMED").severity).toBe("BLOCKING");
    const ok = runPetQa([lu], {
      overrides: { RadiopharmaceuticalStartDateTime: "20240228090000" },
    });
    expect(codes(ok, "BLOCKING")).toEqual([]);
    expect(ok.decayTimeS).toBeCloseTo(6 * 86400 + 5400, 6);
  });

  it("SPECT CNTS needs a calibration factor; the override is applied and reported", () => {
    const nm: PetInstanceMetadata = {
      ...S1,
      Modality: "NM",
      Units: "CNTS",
      ActualFrameDuration: 20000,
      RadionuclideHalfLife: 574300.8,
      RadiopharmaceuticalStartDateTime: "20240304103000",
    };
    const f = finding(runPetQa([nm]), "SPECT_CALIBRATION_MISSING");
    expect(f.severity).toBe("BLOCKING");
    const ok = runPetQa([nm], { overrides: { calibrationFactorCpsPerMBq: 9.2 } });
    expect(codes(ok, "BLOCKING")).toEqual([]);
    expect(ok.overridesApplied).toEqual([
      { key: "calibrationFactorCpsPerMBq", value: 9.2, headerValue: null },
    ]);
  });

  it("units, corrections and decay-correction type", () => {
    expect(finding(runPetQa([{ ...S1, Units: "CPS" }]), "UNITS_UNSUPPORTED").message).toContain(
      '"CPS"',
    );
    expect(finding(runPetQa([{ ...S1, Units: undefined }]), "UNITS_MISSING").severity).toBe(
      "BLOCKING",
    );
    expect(
      finding(runPetQa([{ ...S1, CorrectedImage: ["DECY"] }]), "ATTENUATION_CORRECTION_MISSING")
        .severity,
    ).toBe("BLOCKING");
    expect(
      finding(runPetQa([{ ...S1, CorrectedImage: ["ATTN"] }]), "DECAY_CORRECTION_NOT_APPLIED")
        .severity,
    ).toBe("BLOCKING");
    expect(
      finding(runPetQa([{ ...S1, DecayCorrection: "NONE" }]), "DECAY_CORRECTION_UNSUPPORTED").value,
    ).toBe("NONE");
    const admin = runPetQa([
      { ...S1, DecayCorrection: "ADMIN", SeriesDate: undefined, SeriesTime: undefined },
    ]);
    expect(codes(admin, "BLOCKING")).toEqual([]);
  });

  it("weight in grams and dose in MBq are normalised with WARNINGs", () => {
    const r = runPetQa([{ ...S1, PatientWeight: 75000, RadionuclideTotalDose: 370 }]);
    expect(codes(r)).toEqual(expect.arrayContaining(["WEIGHT_IN_GRAMS", "DOSE_ASSUMED_MBQ"]));
    expect(codes(r, "BLOCKING")).toEqual([]);
    expect(r.effective[0]?.PatientWeight).toBeCloseTo(75, 12);
    expect(r.effective[0]?.RadionuclideTotalDose).toBeCloseTo(370e6, 3);
  });

  it("missing dose, injection time and half-life (unknown nuclide) are BLOCKING", () => {
    const r = runPetQa([
      {
        ...S1,
        RadionuclideTotalDose: undefined,
        RadiopharmaceuticalStartDateTime: undefined,
        RadionuclideHalfLife: undefined,
      },
    ]);
    expect(codes(r, "BLOCKING")).toEqual(
      expect.arrayContaining(["DOSE_MISSING", "INJECTION_TIME_MISSING", "HALF_LIFE_MISSING"]),
    );
  });

  it("half-life filled from the nuclide table when the name identifies it", () => {
    const r = runPetQa([
      {
        ...S1,
        RadionuclideHalfLife: undefined,
        RadiopharmaceuticalName: "Fluorodeoxyglucose F^18^",
      },
    ]);
    expect(finding(r, "HALF_LIFE_FROM_TABLE").severity).toBe("WARNING");
    expect(r.effective[0]?.RadionuclideHalfLife).toBe(6586.2);
  });

  it("values inconsistent across slices are BLOCKING and name both files", () => {
    const r = runPetQa([S1, { ...S1, sourceName: "s2.dcm", PatientWeight: 80 }]);
    const f = finding(r, "INCONSISTENT_ACROSS_INSTANCES");
    expect(f.attribute).toBe("PatientWeight (0010,1030)");
    expect(f.message).toBe(
      'PatientWeight (0010,1030) differs within the series: "75" in s1.dcm but "80" in s2.dcm',
    );
  });

  it("non-zero rescale intercept is BLOCKING", () => {
    expect(
      finding(runPetQa([{ ...S1, RescaleIntercept: -3 }]), "RESCALE_INTERCEPT_NONZERO").value,
    ).toBe(-3);
  });

  it("invalid overrides are BLOCKING findings, not exceptions", () => {
    const r = runPetQa([S1], {
      overrides: { PatientWeight: -5, RadiopharmaceuticalStartDateTime: "0930" },
    });
    expect(r.findings.filter((f) => f.code === "OVERRIDE_INVALID").map((f) => f.attribute)).toEqual(
      ["override PatientWeight", "override RadiopharmaceuticalStartDateTime"],
    );
    expect(r.overridesApplied).toEqual([]);
  });

  it("never throws on empty or junk input", () => {
    expect(codes(runPetQa([]))).toEqual(["NO_INSTANCES"]);
    const junk = runPetQa([
      coercePetMetadata({ PatientWeight: "heavy", SeriesDate: "yesterday", CorrectedImage: 7 }),
    ]);
    expect(junk.blocking).toBe(true);
    expect(codes(junk)).toEqual(expect.arrayContaining(["WEIGHT_MISSING", "UNITS_MISSING"]));
  });

  it("non-PET modality is BLOCKING", () => {
    expect(finding(runPetQa([{ ...S1, Modality: "CT" }]), "MODALITY_NOT_QUANTITATIVE").value).toBe(
      "CT",
    );
  });
});

describe("runPetQa start-time cross-check", () => {
  it("Start DateTime and Start Time more than 60 s apart is a WARNING; 14 s (Issue94) is not", () => {
    const r = runPetQa([{ ...S1, RadiopharmaceuticalStartTime: "091500" }]);
    const f = finding(r, "START_TIME_MISMATCH");
    expect(f.severity).toBe("WARNING");
    expect(f.message).toContain("900 s");
    expect(codes(runPetQa([{ ...S1, RadiopharmaceuticalStartTime: "092946" }]))).not.toContain(
      "START_TIME_MISMATCH",
    );
  });
});

describe("reference time by back-computation (suv.md §2.3)", () => {
  it("frameAverageTimeS: worked check λ = ln2/6586.2 s, T = 180 s → 89.86 s", () => {
    expect(frameAverageTimeS(180, 6586.2)).toBeCloseTo(89.86, 2);
    expect(frameAverageTimeS(1e-3, 6586.2)).toBeCloseTo(5e-4, 9);
    expect(() => frameAverageTimeS(0, 6586.2)).toThrow(/frameDurationS must be > 0, got 0/);
  });

  it("vendor fixture with Frame Reference Time: back-computed reference lands within 1 s of the Series Time", () => {
    const dir = sharedPath("calculate-suv", "metadata");
    const recs = (
      JSON.parse(
        readFileSync(`${dir}/RADIOPHARM_DATETIME_UNDEFINED-instances.json`, "utf8"),
      ) as Record<string, unknown>[]
    ).map((r, i) => coercePetMetadata(r, `#${i + 1}`));
    const qiba = runPetQa(recs);
    const back = runPetQa(recs, { referenceTimeMethod: "back-computed" });
    expect(back.referenceTimeSource).toBe("back-computed");
    // 14:15:55.687 + T_ave(180 s) − 1372.8579 s ≈ 13:54:32.69 vs Series Time 13:54:31.843
    expect(Math.abs((back.decayTimeS as number) - (qiba.decayTimeS as number))).toBeLessThan(1);
    expect(back.effective[0]?.SeriesTime).toMatch(/^1354(31|32)\./);
  });

  it("rewritten Series Time: back-computation recovers the true reference and says so", () => {
    const m: PetInstanceMetadata = {
      ...S1,
      SeriesTime: "113000",
      AcquisitionTime: "103000",
      ActualFrameDuration: 180000,
      FrameReferenceTime: 89_860,
    };
    const r = runPetQa([m], { referenceTimeMethod: "back-computed" });
    expect(r.decayTimeS).toBeCloseTo(3600, 1);
    expect(codes(r)).toContain("BACK_COMPUTED_REFERENCE_DIFFERS");
  });

  it("falls back to the QIBA order with a WARNING when frame timing is absent", () => {
    const r = runPetQa([S1], { referenceTimeMethod: "back-computed" });
    expect(r.referenceTimeSource).toBe("series");
    expect(finding(r, "BACK_COMPUTATION_UNAVAILABLE").severity).toBe("WARNING");
  });
});

describe("overrides resolve inconsistencies", () => {
  it("a weight override replaces inconsistent per-slice weights and clears the BLOCKING finding", () => {
    const slices = [S1, { ...S1, sourceName: "s2.dcm", PatientWeight: 80 }];
    expect(codes(runPetQa(slices), "BLOCKING")).toContain("INCONSISTENT_ACROSS_INSTANCES");
    const r = runPetQa(slices, { overrides: { PatientWeight: 78 } });
    expect(codes(r, "BLOCKING")).toEqual([]);
    expect(r.effective.map((m) => m.PatientWeight)).toEqual([78, 78]);
    expect(r.overridesApplied).toEqual([{ key: "PatientWeight", value: 78, headerValue: 75 }]);
  });
});
