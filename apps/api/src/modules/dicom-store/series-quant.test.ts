import { describe, expect, it } from "vitest";
import { generateWholeBodySpect, writeSpectSeries } from "@lutetia/dicom";
import { parseStoredFile } from "./dicom-file";
import { deriveSeries } from "./series-quant";

/**
 * The quantitative SPECT path of the series derivation (NM, Units CNTS → SPECT_CALIBRATED) against
 * the synthetic 177Lu SPECT's ground truth (SUVbw per count from the generator's forward model).
 */
describe("deriveSeries: quantitative SPECT (NM, CNTS)", () => {
  const sp = generateWholeBodySpect({ nx: 32, ny: 32, nz: 12, lesions: 2, seed: 5, spacingMm: [4.8, 4.8, 4.8] });
  const parsed = writeSpectSeries(sp.counts, sp.geometry, { ...sp.metadata, patientId: "SPECT-1", patientBirthDate: "19600101" }).map((f) =>
    parseStoredFile(Buffer.from(f.bytes), f.name),
  );
  const pets = parsed.map((p) => p.pet!);
  // What rederiveSeries reads from the stored metadata: Pixel Spacing × Spacing Between Slices.
  const md = parsed[0]!.metadata;
  const ps = md["00280030"]!.Value as number[];
  const voxelVolumeMl = (ps[0]! * ps[1]! * (md["00180088"]!.Value![0] as number)) / 1000;

  it("indexes NM single-frame slices with the SPECT header values", () => {
    expect(parsed[0]!.modality).toBe("NM");
    expect(parsed[0]!.numberOfFrames).toBe(1);
    expect(pets[0]!.Units).toBe("CNTS");
    expect(voxelVolumeMl).toBeCloseTo(0.110592, 9);
  });

  it("without a calibration factor: QA blocks, no factor", () => {
    const d = deriveSeries(pets, null, null, { voxelVolumeMl });
    expect(d.qa.blocking).toBe(true);
    expect(d.qa.findings.map((f) => f.code)).toEqual(["SPECT_CALIBRATION_MISSING"]);
    expect(d.suv.ok).toBe(false);
    expect(d.suv.factor).toBeNull();
  });

  it("with the calibration factor: SPECT_CALIBRATED factor = ground-truth SUVbw per count; Bq/mL per count too", () => {
    const d = deriveSeries(pets, { calibrationFactorCpsPerMBq: sp.calibrationFactorCpsPerMBq }, 1, { voxelVolumeMl });
    expect(d.suv.ok).toBe(true);
    expect(d.suv.method).toBe("SPECT_CALIBRATED");
    expect(Math.abs(d.suv.factor! / sp.suvPerCount - 1)).toBeLessThan(1e-9);
    expect(Math.abs(d.suv.activityConcentrationPerUnit! / sp.bqPerMlPerCount - 1)).toBeLessThan(1e-9);
    expect(d.suv.decayS).toBeCloseTo(sp.decayS, 6);
    expect(d.qa.nuclide).toBe("177Lu");
  });

  it("a different calibration factor scales the factor inversely; a missing voxel volume refuses", () => {
    const d = deriveSeries(pets, { calibrationFactorCpsPerMBq: sp.calibrationFactorCpsPerMBq * 2 }, 1, { voxelVolumeMl });
    expect(Math.abs(d.suv.factor! / (sp.suvPerCount / 2) - 1)).toBeLessThan(1e-9);
    const none = deriveSeries(pets, { calibrationFactorCpsPerMBq: sp.calibrationFactorCpsPerMBq }, 1, { voxelVolumeMl: null });
    expect(none.suv.ok).toBe(false);
    expect(none.suv.reasons[0]!.code).toBe("SPECT_INPUTS_MISSING");
  });
});
