import { indexToPatientMm, sphereVoiStats } from "@lutetia/quantification";
import { describe, expect, it } from "vitest";
import {
  cameraThrough,
  displayScale,
  ellipsoidFromEllipse,
  formatReadout,
  geometryFromCornerstone,
  linearIndex,
  middleOutOrder,
  nearestVoxel,
  pixelRangeToWindow,
  pointOntoPlane,
  rawUnitLabel,
  rescaleStats,
  roiNominalVolumeMl,
  sphereFromCircle,
  stepVoxel,
  voxelCentreMm,
  windowToPixelRange,
  type ServerSuv,
} from "./viewer-math";

const close = (a: number, b: number, tol = 1e-9) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol);

// reference/suv.md Example S3: male 80 kg, 1.80 m; SUVbw 10 → SUL_James 7.8395, SUL_Janma 7.7164.
// Per pixel unit with an SUVbw factor f: sulJames = f·62.716/80, sulJanma = f·61.731/80.
const f = 2.4e-4;
const SERVER: ServerSuv = {
  ok: true,
  factor: f,
  perInstance: false,
  sulJames: (f * 62.716) / 80,
  sulJanma: (f * 61.731) / 80,
  method: "BQML_START",
  reasons: [],
};

describe("displayScale", () => {
  it("uses the server's SUVbw factor as is (the value of record)", () => {
    const s = displayScale(SERVER, "SUVBW", "Bq/mL");
    expect(s).toEqual({ perUnit: f, unit: "SUVbw", isSuv: true, note: null });
    // 41 667 Bq/mL × 2.4e-4 = 10.000 SUVbw
    close(41_666.67 * s.perUnit, 10.0, 1e-4);
  });
  it("SUL from the server's LBM-based factors (suv.md S3)", () => {
    close(41_666.67 * displayScale(SERVER, "SUL_JAMES", "Bq/mL").perUnit, 7.8395, 1e-3);
    close(41_666.67 * displayScale(SERVER, "SUL_JANMA", "Bq/mL").perUnit, 7.7164, 1e-3);
    expect(displayScale(SERVER, "SUL_JANMA", "Bq/mL").unit).toBe("SUL (Janmahasatian)");
  });
  it("falls back to SUVbw with a note when the server has no SUL factor", () => {
    const s = displayScale({ ...SERVER, sulJanma: null }, "SUL_JANMA", "Bq/mL");
    expect(s.unit).toBe("SUVbw");
    expect(s.perUnit).toBe(f);
    expect(s.note).toMatch(/SUL \(Janmahasatian\) not available/);
  });
  it("shows Bq/mL with the QA reason when SUV is not available", () => {
    const s = displayScale(
      {
        ok: false,
        factor: null,
        perInstance: false,
        reasons: [
          { code: "QA_BLOCKING", message: "QA gate blocks quantitative use: DOSE_MISSING" },
        ],
      },
      "SUVBW",
      "Bq/mL",
    );
    expect(s).toMatchObject({ perUnit: 1, unit: "Bq/mL", isSuv: false });
    expect(s.note).toContain("QA_BLOCKING: QA gate blocks quantitative use: DOSE_MISSING");
    expect(displayScale(null, "SUVBW", "counts").note).toMatch(/No SUV derivation/);
  });
  it("refuses a non-positive or non-finite factor and per-image factors", () => {
    expect(displayScale({ ...SERVER, factor: 0 }, "SUVBW", "Bq/mL").isSuv).toBe(false);
    expect(displayScale({ ...SERVER, factor: Number.NaN }, "SUVBW", "Bq/mL").isSuv).toBe(false);
    const p = displayScale({ ...SERVER, perInstance: true }, "SUVBW", "counts");
    expect(p).toMatchObject({ isSuv: false, unit: "counts" });
    expect(p.note).toMatch(/per image/);
  });
  it("labels raw units from DICOM Units (0054,1001)", () => {
    expect(rawUnitLabel("BQML")).toBe("Bq/mL");
    expect(rawUnitLabel("cnts")).toBe("counts");
    expect(rawUnitLabel(null)).toBe("pixel units");
    expect(rawUnitLabel("PROPCNTS")).toBe("PROPCNTS");
  });
});

describe("windows", () => {
  it("maps an SUV window to pixel units and back", () => {
    const px = windowToPixelRange(0, 5, f);
    close(px.upper, 5 / f);
    const w = pixelRangeToWindow(px.lower, px.upper, f);
    close(w.upper, 5, 1e-12);
  });
  it("refuses a bad factor or an empty window naming the values", () => {
    expect(() => windowToPixelRange(0, 5, 0)).toThrow(/perUnit must be > 0, got 0/);
    expect(() => windowToPixelRange(5, 5, f)).toThrow(/upper must exceed lower, got 5–5/);
  });
});

describe("geometry and voxels", () => {
  // Cornerstone: direction rows = axis directions. An oblique volume: i along (0,1,0), j along (-1,0,0), k along z.
  const cs = {
    dimensions: [4, 5, 6],
    spacing: [2, 3, 4],
    origin: [10, 20, 30],
    direction: [0, 1, 0, -1, 0, 0, 0, 0, 1],
  };
  const g = geometryFromCornerstone(cs);
  it("transposes Cornerstone's direction into quantification's columns-are-axes convention", () => {
    // voxel (1, 0, 0) is one i-step = 2 mm along +y
    expect(indexToPatientMm(g, 1, 0, 0)).toEqual([10, 22, 30]);
    // voxel (0, 1, 0) is 3 mm along −x
    expect(indexToPatientMm(g, 0, 1, 0)).toEqual([7, 20, 30]);
    expect(indexToPatientMm(g, 0, 0, 1)).toEqual([10, 20, 34]);
  });
  it("round-trips voxel centres and rounds nearby points; outside → null", () => {
    const c = voxelCentreMm(g, [2, 3, 4]);
    expect(nearestVoxel(g, c)).toEqual([2, 3, 4]);
    expect(nearestVoxel(g, [c[0] + 0.4, c[1] + 0.9, c[2] - 1.9])).toEqual([2, 3, 4]);
    expect(nearestVoxel(g, [10, 20, 30 - 4])).toBeNull();
    expect(linearIndex(g, [2, 3, 4])).toBe(2 + 3 * 4 + 4 * 20);
  });
  it("steps voxels and clamps at the edges", () => {
    expect(stepVoxel(g, [0, 0, 0], [-1, 1, 1])).toEqual([0, 1, 1]);
    expect(stepVoxel(g, [3, 4, 5], [1, 1, 1])).toEqual([3, 4, 5]);
  });
});

describe("crosshair linking", () => {
  const cam = { focalPoint: [0, 0, 0], position: [0, 0, 100], viewPlaneNormal: [0, 0, 2] };
  it("moves a camera along its normal so the plane passes through the point", () => {
    const m = cameraThrough(cam, [5, 7, 12]);
    expect(m.focalPoint).toEqual([0, 0, 12]);
    expect(m.position).toEqual([0, 0, 112]);
  });
  it("moves the shared point onto a scrolled view's plane (normal component only)", () => {
    expect(pointOntoPlane([5, 7, 12], [1, 1, -8], [0, 0, 1])).toEqual([5, 7, -8]);
  });
});

describe("ROI shapes", () => {
  it("circle → sphere of the drawn radius", () => {
    const s = sphereFromCircle([
      [1, 2, 3],
      [4, 6, 3],
    ]);
    expect(s).toEqual({ kind: "sphere", centreMm: [1, 2, 3], radiusMm: 5 });
    close(roiNominalVolumeMl(s), ((4 / 3) * Math.PI * 125) / 1000);
    expect(() => sphereFromCircle([[1, 2, 3]])).toThrow(/needs 2 points, got 1/);
    expect(() =>
      sphereFromCircle([
        [1, 2, 3],
        [1, 2, 3],
      ]),
    ).toThrow(/radius must be > 0 mm, got 0/);
  });
  it("axial ellipse → ellipsoid with in-plane semi-axes and the shorter one through the plane", () => {
    // bottom, top, left, right of an ellipse centred at (10, 20, 30): 8 mm along y, 5 mm along x.
    const e = ellipsoidFromEllipse(
      [
        [10, 28, 30],
        [10, 12, 30],
        [5, 20, 30],
        [15, 20, 30],
      ],
      [0, 0, 1],
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    );
    expect(e.kind).toBe("ellipsoid");
    expect(e.centreMm).toEqual([10, 20, 30]);
    if (e.kind === "ellipsoid") expect(e.semiAxesMm).toEqual([5, 8, 5]);
  });
  it("coronal ellipse on a volume whose i axis is along y maps extents onto the volume axes", () => {
    const e = ellipsoidFromEllipse(
      [
        [0, 0, -6],
        [0, 0, 6],
        [-4, 0, 0],
        [4, 0, 0],
      ],
      [0, -1, 0],
      [
        [0, 1, 0],
        [-1, 0, 0],
        [0, 0, 1],
      ],
    );
    // i (along y) is the through-plane axis: min(6, 4) = 4; j (along −x): 4; k (z): 6.
    if (e.kind === "ellipsoid") expect(e.semiAxesMm).toEqual([4, 4, 6]);
  });
  it("the worker's statistics (quantification) on a sphere agree with a brute-force count", () => {
    const g = geometryFromCornerstone({
      dimensions: [9, 9, 9],
      spacing: [2, 2, 2],
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    });
    const data = new Float32Array(729);
    for (let i = 0; i < data.length; i++) data[i] = i % 7;
    const s = sphereVoiStats({ data, geometry: g }, [8, 8, 8], 4.5, { peak: false });
    let n = 0;
    let max = -Infinity;
    for (let k = 0; k < 9; k++)
      for (let j = 0; j < 9; j++)
        for (let i = 0; i < 9; i++) {
          if ((2 * i - 8) ** 2 + (2 * j - 8) ** 2 + (2 * k - 8) ** 2 <= 4.5 ** 2) {
            n++;
            max = Math.max(max, data[linearIndex(g, [i, j, k])]!);
          }
        }
    expect(s.voxelCount).toBe(n);
    expect(s.max).toBe(max);
    close(s.volumeMl, (n * 8) / 1000);
  });
});

describe("stats conversion and formatting", () => {
  it("rescales every SUV statistic linearly between units (SUL → SUVbw for storage)", () => {
    const s = rescaleStats(
      { max: 7.7164, mean: 3.8582, sd: 0.5, peak: 6, voxelCount: 4 },
      SERVER.sulJanma!,
      f,
    );
    close(s.max, 10, 1e-3);
    close(s.mean, 5, 1e-3);
    close(s.peak!, (6 * 80) / 61.731, 1e-9);
    expect(s.voxelCount).toBe(4);
    expect(rescaleStats({ max: 1, mean: 1, sd: 0, peak: null }, 1, 2).peak).toBeNull();
  });
  it("formats readouts with their unit", () => {
    expect(formatReadout(3.14159, displayScale(SERVER, "SUVBW", "Bq/mL"))).toBe("3.14 SUVbw");
    expect(formatReadout(1234.6, displayScale(null, "SUVBW", "Bq/mL"))).toBe("1235 Bq/mL");
    expect(formatReadout(null, displayScale(SERVER, "SUVBW", "Bq/mL"))).toBe("—");
  });
  it("loads the middle slice first, then outwards, every slice once", () => {
    expect(middleOutOrder([0, 1, 2, 3, 4])).toEqual([2, 3, 1, 4, 0]);
    expect(middleOutOrder([0, 1, 2, 3])).toEqual([2, 3, 1, 0]);
    expect(middleOutOrder([])).toEqual([]);
    const big = middleOutOrder(Array.from({ length: 400 }, (_, i) => i));
    expect(new Set(big).size).toBe(400);
    expect(big[0]).toBe(200);
  });
});
