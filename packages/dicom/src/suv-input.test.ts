import { readdirSync, readFileSync } from "node:fs";
import { calculateSUVScalingFactors } from "@cornerstonejs/calculate-suv";
import { describe, expect, it } from "vitest";
import { readShared, sharedPath } from "../test/shared-data.js";
import { DicomParseError } from "./errors.js";
import { parseDicomPart10 } from "./parse.js";
import { coercePetMetadata } from "./pet-metadata.js";
import { runPetQa } from "./qa.js";
import { toSuvInstanceMetadata } from "./suv-input.js";

describe("toSuvInstanceMetadata → @cornerstonejs/calculate-suv", () => {
  it("suv.md S1 (FDG, BQML, START): factor 2.960750e-4 g/Bq, SUV 3.5529 for 12 000 Bq/mL", () => {
    const qa = runPetQa([
      {
        sourceName: "s1",
        Modality: "PT",
        CorrectedImage: ["ATTN", "DECY"],
        Units: "BQML",
        DecayCorrection: "START",
        PatientWeight: 75,
        RadionuclideTotalDose: 370e6,
        RadionuclideHalfLife: 6586.2,
        RadiopharmaceuticalStartTime: "093000",
        SeriesDate: "20240305",
        SeriesTime: "103000",
        AcquisitionDate: "20240305",
        AcquisitionTime: "103000",
      },
    ]);
    const [f] = calculateSUVScalingFactors(toSuvInstanceMetadata(qa));
    expect(f?.suvbw).toBeDefined();
    expect(Math.abs((f?.suvbw ?? 0) - 2.96075e-4) / 2.96075e-4).toBeLessThan(1e-5);
    expect(12000 * (f?.suvbw ?? 0)).toBeCloseTo(3.5529, 4);
  });

  it("S2 (68Ga across midnight): the rolled-back injection DT makes calculate-suv give SUV 10.536", () => {
    const qa = runPetQa([
      {
        CorrectedImage: ["ATTN", "DECY"],
        Units: "BQML",
        DecayCorrection: "START",
        PatientWeight: 60,
        RadionuclideTotalDose: 200e6,
        RadionuclideHalfLife: 4062.6,
        RadiopharmaceuticalStartTime: "234000",
        SeriesDate: "20240306",
        SeriesTime: "003500",
        AcquisitionDate: "20240306",
        AcquisitionTime: "003500",
      },
    ]);
    const [f] = calculateSUVScalingFactors(toSuvInstanceMetadata(qa));
    expect(20000 * (f?.suvbw ?? 0)).toBeCloseTo(10.536, 3);
  });

  it("real Siemens slice: factor = W / (A · 2^(−Δt/T½)) with Δt = 4338 s", () => {
    const inst = parseDicomPart10(
      readShared("orthanc-tests-pet-slices", "2020-11-16-SalimKanounAnonymization.dcm"),
      "siemens.dcm",
    );
    const qa = runPetQa([inst]);
    const [f] = calculateSUVScalingFactors(toSuvInstanceMetadata(qa));
    const expected = 82000 / (290e6 * Math.pow(2, -4338 / 6586.2));
    expect(Math.abs((f?.suvbw ?? 0) - expected) / expected).toBeLessThan(1e-9);
  });

  it("every vendor fixture converts and agrees with the QA gate's Δt", () => {
    const dir = sharedPath("calculate-suv", "metadata");
    for (const file of readdirSync(dir).filter((x) => x.endsWith(".json"))) {
      const recs = (
        JSON.parse(readFileSync(`${dir}/${file}`, "utf8")) as Record<string, unknown>[]
      ).map((r) => coercePetMetadata(r, file));
      const qa = runPetQa(recs);
      const factors = calculateSUVScalingFactors(toSuvInstanceMetadata(qa));
      expect(factors.length).toBe(recs.length);
      const m = qa.effective[0];
      if (m?.Units === "BQML") {
        const expected =
          ((m.PatientWeight ?? NaN) * 1000) /
          ((m.RadionuclideTotalDose ?? NaN) *
            Math.pow(2, -(qa.decayTimeS ?? NaN) / (m.RadionuclideHalfLife ?? NaN)));
        expect(Math.abs((factors[0]?.suvbw ?? 0) - expected) / expected, file).toBeLessThan(1e-6);
      }
    }
  });

  it("refuses a blocking QA result, listing the codes", () => {
    const inst = parseDicomPart10(
      readShared("orthanc-tests-pet-slices", "Issue94.dcm"),
      "Issue94.dcm",
    );
    expect(() => toSuvInstanceMetadata(runPetQa([inst]))).toThrow(DicomParseError);
    expect(() => toSuvInstanceMetadata(runPetQa([inst]))).toThrow(
      /WEIGHT_MISSING, SERIES_DATETIME_MISSING/,
    );
  });
});
