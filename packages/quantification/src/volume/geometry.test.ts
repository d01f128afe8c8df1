import { describe, expect, it } from "vitest";
import {
  indexToPatientMm,
  patientMmToIndex,
  validateVolume,
  voxelVolumeMl,
  type VolumeGeometry,
} from "./geometry.js";

const rotated: VolumeGeometry = {
  dims: [10, 20, 30],
  spacingMm: [2, 3, 4],
  originMm: [10, -20, 30],
  // columns: i → +y, j → −x, k → +z (90° about z)
  direction: [0, -1, 0, 1, 0, 0, 0, 0, 1],
};

describe("geometry", () => {
  it("voxel volume = sx·sy·sz / 1000 (4×4×4 mm = 0.064 mL, suv.md Example S6)", () => {
    expect(voxelVolumeMl({ ...rotated, spacingMm: [4, 4, 4] })).toBeCloseTo(0.064, 12);
  });
  it("index → patient applies origin + D·(spacing ⊙ idx) with D's columns as axis directions", () => {
    const [x, y, z] = indexToPatientMm(rotated, 1, 2, 3);
    // i: 1·2 mm along +y; j: 2·3 mm along −x; k: 3·4 mm along +z
    expect(x).toBeCloseTo(10 - 6, 12);
    expect(y).toBeCloseTo(-20 + 2, 12);
    expect(z).toBeCloseTo(30 + 12, 12);
  });
  it("patient → index inverts index → patient (round trip)", () => {
    const p = indexToPatientMm(rotated, 3.5, 7.25, 1.75);
    const [i, j, k] = patientMmToIndex(rotated, p);
    expect(i).toBeCloseTo(3.5, 10);
    expect(j).toBeCloseTo(7.25, 10);
    expect(k).toBeCloseTo(1.75, 10);
  });
  it("accepts typed-array direction cosines (as produced from DICOM Image Orientation)", () => {
    const g = {
      ...rotated,
      direction: Float64Array.from(rotated.direction) as unknown as number[],
    };
    expect(validateVolume({ data: new Float32Array(6000), geometry: g })).toBe(6000);
  });
  it("rejects bad geometry naming field and value", () => {
    const data = new Float32Array(10 * 20 * 30);
    expect(() => validateVolume({ data, geometry: { ...rotated, spacingMm: [2, 0, 4] } })).toThrow(
      /spacingMm\[1\] must be > 0, got 0/,
    );
    expect(() => validateVolume({ data, geometry: { ...rotated, dims: [10, 20, 2.5] } })).toThrow(
      /dims\[2\] must be an integer >= 1, got 2.5/,
    );
    expect(() =>
      validateVolume({ data, geometry: { ...rotated, direction: [1, 0, 0, 1, 0, 0, 0, 0, 1] } }),
    ).toThrow(/orthonormal/);
    expect(() => validateVolume({ data: new Float32Array(5), geometry: rotated })).toThrow(
      /data.length must equal nx·ny·nz = 6000, got 5/,
    );
    expect(() => patientMmToIndex(rotated, [0, Number.NaN, 0])).toThrow(
      /pointMm\[1\] must be a finite number, got NaN/,
    );
  });
});
