import { requireFinite, show } from "../internal/validate.js";

/**
 * Geometry of a voxel grid. Voxel (i, j, k) is stored at linear index i + j·nx + k·nx·ny
 * (x fastest, then y, then z). Its centre in patient coordinates (mm, DICOM LPS) is
 * p = origin + D · (spacing ⊙ [i, j, k]), where `direction` D is the 3×3 direction-cosine matrix
 * in row-major order whose **columns** are the unit vectors of the i, j and k axes (ITK /
 * SimpleITK `GetDirection()` convention). D must be orthonormal. For a DICOM series, the
 * columns are Image Orientation (Patient) row/column cosines and their cross product, and the
 * origin is the first slice's Image Position (Patient) (DICOM PS3.3 C.7.6.2 Image Plane module).
 */
export interface VolumeGeometry {
  /** [nx, ny, nz], positive integers. */
  readonly dims: readonly [number, number, number];
  /** Voxel spacing [sx, sy, sz] in mm (> 0). */
  readonly spacingMm: readonly [number, number, number];
  /** Centre of voxel (0, 0, 0) in patient coordinates, mm. */
  readonly originMm: readonly [number, number, number];
  /** 3×3 direction cosines, row-major, columns = axis directions (9 numbers). */
  readonly direction: readonly number[];
}

/** A scalar volume (e.g. SUV) with its geometry; `data.length` = nx·ny·nz. */
export interface Volume {
  readonly data: Float32Array;
  readonly geometry: VolumeGeometry;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return (
    v !== null && typeof v === "object" && typeof (v as { length?: unknown }).length === "number"
  );
}

/** Identity direction cosines (axes aligned with patient x, y, z). */
export const IDENTITY_DIRECTION: readonly number[] = Object.freeze([1, 0, 0, 0, 1, 0, 0, 0, 1]);

/**
 * Validates a geometry: integer dims ≥ 1, spacing > 0, finite origin, orthonormal direction
 * (tolerance 1e-4), as implied by DICOM Image Orientation (Patient) (PS3.3 C.7.6.2).
 *
 * @returns the voxel count nx·ny·nz.
 * @throws TypeError/RangeError naming the offending field and value.
 */
export function validateGeometry(g: VolumeGeometry): number {
  if (g === null || typeof g !== "object")
    throw new TypeError(`geometry must be an object, got ${show(g)}`);
  if (!isArrayLike(g.dims) || g.dims.length !== 3)
    throw new TypeError(`geometry.dims must be [nx, ny, nz], got ${show(g.dims)}`);
  for (let a = 0; a < 3; a++) {
    const d = g.dims[a];
    if (typeof d !== "number" || !Number.isInteger(d) || d < 1)
      throw new RangeError(`geometry.dims[${a}] must be an integer >= 1, got ${show(d)}`);
    const s = g.spacingMm?.[a];
    if (typeof s !== "number" || !Number.isFinite(s) || s <= 0)
      throw new RangeError(`geometry.spacingMm[${a}] must be > 0, got ${show(s)}`);
    requireFinite(`geometry.originMm[${a}]`, g.originMm?.[a]);
  }
  const m = g.direction;
  if (!isArrayLike(m) || m.length !== 9)
    throw new TypeError(`geometry.direction must have 9 numbers, got ${show(m)}`);
  for (let c1 = 0; c1 < 3; c1++) {
    for (let c2 = c1; c2 < 3; c2++) {
      let dot = 0;
      for (let r = 0; r < 3; r++)
        dot +=
          requireFinite(`geometry.direction[${r * 3 + c1}]`, m[r * 3 + c1]) *
          (m[r * 3 + c2] as number);
      const want = c1 === c2 ? 1 : 0;
      if (Math.abs(dot - want) > 1e-4) {
        throw new RangeError(
          `geometry.direction must be orthonormal (columns ${c1}·${c2} = ${dot}), got [${m.join(", ")}]`,
        );
      }
    }
  }
  const n = g.dims[0] * g.dims[1] * g.dims[2];
  if (n > 2 ** 31 - 1) throw new RangeError(`geometry.dims product must be < 2^31, got ${n}`);
  return n;
}

/**
 * Validates a volume: geometry as {@link validateGeometry} and `data.length` = nx·ny·nz
 * (x fastest, DICOM PS3.3 C.7.6.2 pixel order with slices stacked along k).
 * @returns the voxel count.
 * @throws TypeError/RangeError naming the offending field and value.
 */
export function validateVolume(v: Volume): number {
  if (v === null || typeof v !== "object")
    throw new TypeError(`volume must be an object, got ${show(v)}`);
  if (!(v.data instanceof Float32Array))
    throw new TypeError(`volume.data must be a Float32Array, got ${show(v.data)}`);
  const n = validateGeometry(v.geometry);
  if (v.data.length !== n)
    throw new RangeError(`volume.data.length must equal nx·ny·nz = ${n}, got ${v.data.length}`);
  return n;
}

/**
 * Volume of one voxel: V = sx · sy · sz / 1000 (mm³ → mL; reference/suv.md Example S6:
 * 4×4×4 mm = 0.064 mL).
 * @returns mL.
 * @throws as {@link validateGeometry}.
 */
export function voxelVolumeMl(g: VolumeGeometry): number {
  validateGeometry(g);
  return (g.spacingMm[0] * g.spacingMm[1] * g.spacingMm[2]) / 1000;
}

/**
 * Patient coordinates of a (possibly fractional) voxel index: p = origin + D · (spacing ⊙ idx)
 * (DICOM PS3.3 C.7.6.2.1.1 Image Position/Orientation equation, extended to k).
 * @param g geometry (not re-validated; call {@link validateGeometry} once).
 * @param i fractional index along x (columns).
 * @param j fractional index along y (rows).
 * @param k fractional slice index.
 * @returns [x, y, z] in mm.
 * Does not throw; with an unvalidated geometry the result may be NaN.
 */
export function indexToPatientMm(
  g: VolumeGeometry,
  i: number,
  j: number,
  k: number,
): [number, number, number] {
  const d = g.direction as readonly number[];
  const a = i * g.spacingMm[0];
  const b = j * g.spacingMm[1];
  const c = k * g.spacingMm[2];
  return [
    g.originMm[0] + d[0]! * a + d[1]! * b + d[2]! * c,
    g.originMm[1] + d[3]! * a + d[4]! * b + d[5]! * c,
    g.originMm[2] + d[6]! * a + d[7]! * b + d[8]! * c,
  ];
}

/**
 * Continuous voxel index of a patient point: idx = (Dᵀ · (p − origin)) ⊘ spacing (D orthonormal;
 * inverse of the DICOM PS3.3 C.7.6.2.1.1 equation).
 * @param pointMm [x, y, z] in mm.
 * @returns [i, j, k] (fractional).
 * @throws TypeError when a coordinate is not finite.
 */
export function patientMmToIndex(
  g: VolumeGeometry,
  pointMm: readonly [number, number, number],
): [number, number, number] {
  const d = g.direction as readonly number[];
  const px = requireFinite("pointMm[0]", pointMm[0]) - g.originMm[0];
  const py = requireFinite("pointMm[1]", pointMm[1]) - g.originMm[1];
  const pz = requireFinite("pointMm[2]", pointMm[2]) - g.originMm[2];
  return [
    (d[0]! * px + d[3]! * py + d[6]! * pz) / g.spacingMm[0],
    (d[1]! * px + d[4]! * py + d[7]! * pz) / g.spacingMm[1],
    (d[2]! * px + d[5]! * py + d[8]! * pz) / g.spacingMm[2],
  ];
}
