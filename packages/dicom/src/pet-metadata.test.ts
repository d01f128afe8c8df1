import { describe, expect, it } from "vitest";
import { parseDicomPart10 } from "./parse.js";
import { extractPetMetadata } from "./pet-metadata.js";
import { runPetQa } from "./qa.js";
import type { DicomElementSpec } from "./synthetic/encoder.js";
import { writePetSeries } from "./synthetic/pet-series-writer.js";
import { generateWholeBodyPet } from "./synthetic/whole-body-pet.js";

const small = generateWholeBodyPet({
  nx: 8,
  ny: 8,
  nz: 2,
  lesions: 0,
  seed: 1,
  spacingMm: [90, 90, 4],
});
const one = <T>(xs: readonly T[]): T => {
  const x = xs[0];
  if (x === undefined) throw new Error("empty list");
  return x;
};
const str = (tag: number, vr: string, value: string): DicomElementSpec => ({
  tag,
  vr,
  value: { kind: "str", value },
});
const withElements = (extra: DicomElementSpec[], drop: number[] = []) =>
  writePetSeries(small.data, small.geometry, small.metadata, {
    mutateSlice: (els) => [...els.filter((e) => !drop.includes(e.tag)), ...extra],
  }).map((f) => parseDicomPart10(f.bytes, f.name));

describe("extractPetMetadata: private groups located by private creator (PS3.5 §7.8.1)", () => {
  it("Philips (7053,xx00)/(7053,xx09) in block 0x11, exponent-form factor recorded", () => {
    const inst = withElements(
      [
        str(0x70530011, "LO", "Philips PET Private Group"),
        str(0x70531100, "DS", "7.28e-04"),
        str(0x70531109, "DS", "1.5"),
        str(0x70530010, "LO", "OTHER CREATOR"),
        str(0x70531000, "DS", "99"),
      ],
      [],
    );
    const m = extractPetMetadata(one(inst));
    expect(m.PhilipsPETPrivateGroup?.SUVScaleFactor).toBeCloseTo(0.000728, 12);
    expect(m.PhilipsPETPrivateGroup?.ActivityConcentrationScaleFactor).toBeCloseTo(1.5, 12);
    expect(m.exponentFormAttributes).toEqual(["PhilipsSUVScaleFactor (7053,1100)"]);
    const qa = runPetQa(inst, { overrides: {} });
    expect(qa.findings.find((f) => f.code === "DS_EXPONENT_FORM")?.message).toContain(
      "parsed as 0.000728",
    );
  });

  it("GE (0009,xx0D) scan DateTime and Siemens (0071,xx22) decay DateTime are read and compared with Series Date/Time", () => {
    const inst = withElements([
      str(0x00090010, "LO", "GEMS_PETD_01"),
      str(0x0009100d, "DT", "20240305103500.00"),
      str(0x00710010, "LO", "SIEMENS MED PT"),
      str(0x00711022, "DT", "20240305103000.000000"),
    ]);
    const m = extractPetMetadata(one(inst));
    expect(m.GEPrivatePostInjectionDateTime).toBe("20240305103500.00");
    expect(m.SiemensDecayCorrectionDateTime).toBe("20240305103000.000000");
    const qa = runPetQa(inst);
    expect(qa.findings.find((f) => f.code === "GE_PRIVATE_SCAN_TIME_DIFFERS")?.message).toMatch(
      /differs from Series Date\/Time by 300 s/,
    );
    expect(qa.findings.map((f) => f.code)).not.toContain("SIEMENS_DECAY_TIME_DIFFERS");
  });

  it("an unknown creator or a stripped creator hides the private element", () => {
    const inst = withElements([str(0x70531000, "DS", "0.5")]);
    expect(extractPetMetadata(one(inst)).PhilipsPETPrivateGroup).toBeUndefined();
  });

  it("reads the radiopharmaceutical sequence, codes and patient attributes written by the synthetic writer", () => {
    const m = extractPetMetadata(one(withElements([])));
    expect(m).toMatchObject({
      Modality: "PT",
      Units: "BQML",
      DecayCorrection: "START",
      RadiopharmaceuticalName: "Ga-68 DOTATATE (synthetic)",
      RadionuclideCode: { CodeMeaning: "^68^Gallium" },
      RadiopharmaceuticalStartDateTime: "20240305093000",
      RadiopharmaceuticalStartTime: "093000",
      PatientID: "SYNTH-1",
    });
    expect(m.RadionuclideHalfLife).toBeCloseTo(4062.6, 9);
    expect(m.RadionuclideTotalDose).toBeCloseTo(150e6, 3);
    expect(m.PatientWeight).toBeCloseTo(75, 12);
    expect(m.exponentFormAttributes).toBeUndefined();
  });
});
