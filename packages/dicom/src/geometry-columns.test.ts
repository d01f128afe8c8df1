import { describe, expect, it } from "vitest";
import { geometryWithAxisColumns, voxelToPatientMm, type VolumeGeometry } from "./index.js";

describe("geometryWithAxisColumns (hand-over to @lutetia/quantification's p = o + D·(s⊙idx))", () => {
  // An oblique (coronal-tilted) orientation: rows = axes here, so the two conventions differ.
  const c = Math.cos(0.3);
  const s = Math.sin(0.3);
  const g: VolumeGeometry = {
    dims: [4, 5, 6],
    spacingMm: [2, 3, 4],
    originMm: [-10, 20, 30],
    direction: [1, 0, 0, 0, c, s, 0, -s, c],
  };
  it("gives the same patient position for every voxel as voxelToPatientMm", () => {
    const q = geometryWithAxisColumns(g);
    for (const [i, j, k] of [[0, 0, 0], [3, 4, 5], [1, 2, 3]] as const) {
      const expected = voxelToPatientMm(g, i, j, k);
      const idx = [i * 2, j * 3, k * 4];
      for (let r = 0; r < 3; r++) {
        const p = g.originMm[r]! + q.direction[r * 3]! * idx[0]! + q.direction[r * 3 + 1]! * idx[1]! + q.direction[r * 3 + 2]! * idx[2]!;
        expect(p).toBeCloseTo(expected[r]!, 12);
      }
    }
  });
  it("is the identity for axis-aligned series and does not mutate its input", () => {
    const axial: VolumeGeometry = { ...g, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    expect(geometryWithAxisColumns(axial).direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(g.direction).toEqual([1, 0, 0, 0, c, s, 0, -s, c]);
    expect(geometryWithAxisColumns(g).direction).toEqual([1, 0, 0, 0, c, -s, 0, s, c]);
  });
});
